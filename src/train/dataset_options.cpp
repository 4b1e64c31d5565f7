#include "dataset_options.h"

#include <nlohmann/json.hpp>

#include "s4scope/error.h"

namespace s4scope::train {

using nlohmann::json;

std::string DatasetOptions::toJson() const {
    json j = {
        {"seed", seed},
        {"accents", accents},
        {"variants", variants},
        {"flite_voices", fliteVoices},
        {"espeak_rates", espeakRates},
        {"espeak_pitches", espeakPitches},
        {"espeak_renditions", espeakRenditions},
        {"flite_stretches", fliteStretches},
        {"flite_pitches", flitePitches},
        {"flite_renditions", fliteRenditions},
        {"validation_fraction", validationFraction},
        {"test_fraction", testFraction},
        {"splits", splits},
        {"limit", limit},
        {"sample_rate", sampleRate},
        {"clip_length", clipLength},
        {"min_peak", minPeak},
        {"max_peak", maxPeak},
    };
    return j.dump(2);
}

DatasetOptions DatasetOptions::fromJson(const std::string& text, const std::string& source) {
    DatasetOptions o;
    try {
        const json j = json::parse(text);
        auto get = [&](const char* key, auto& field) {
            if (j.contains(key)) j.at(key).get_to(field);
        };
        get("seed", o.seed);
        get("accents", o.accents);
        get("variants", o.variants);
        get("flite_voices", o.fliteVoices);
        get("espeak_rates", o.espeakRates);
        get("espeak_pitches", o.espeakPitches);
        get("espeak_renditions", o.espeakRenditions);
        get("flite_stretches", o.fliteStretches);
        get("flite_pitches", o.flitePitches);
        get("flite_renditions", o.fliteRenditions);
        get("validation_fraction", o.validationFraction);
        get("test_fraction", o.testFraction);
        get("splits", o.splits);
        get("limit", o.limit);
        get("sample_rate", o.sampleRate);
        get("clip_length", o.clipLength);
        get("min_peak", o.minPeak);
        get("max_peak", o.maxPeak);
    } catch (const json::exception& e) {
        throw Error(source + ": bad data set options: " + e.what());
    }
    return o;
}

}  // namespace s4scope::train
