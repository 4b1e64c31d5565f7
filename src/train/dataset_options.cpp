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
        {"classic_accents", classicAccents},
        {"classic_variants", classicVariants},
        {"flite_voices", fliteVoices},
        {"festival_voices", festivalVoices},
        {"espeak_rates", espeakRates},
        {"espeak_pitches", espeakPitches},
        {"espeak_renditions", espeakRenditions},
        {"classic_renditions", classicRenditions},
        {"flite_stretches", fliteStretches},
        {"flite_pitches", flitePitches},
        {"flite_renditions", fliteRenditions},
        {"festival_stretches", festivalStretches},
        {"festival_pitches", festivalPitches},
        {"festival_renditions", festivalRenditions},
        {"validation_fraction", validationFraction},
        {"test_fraction", testFraction},
        {"flite_validation", fliteValidation},
        {"flite_test", fliteTest},
        {"festival_validation", festivalValidation},
        {"festival_test", festivalTest},
        {"splits", splits},
        {"limit", limit},
        {"sample_rate", sampleRate},
        {"clip_length", clipLength},
        {"min_peak", minPeak},
        {"max_peak", maxPeak},
        {"babble_sentences", babbleSentences},
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
        get("classic_accents", o.classicAccents);
        get("classic_variants", o.classicVariants);
        get("flite_voices", o.fliteVoices);
        get("festival_voices", o.festivalVoices);
        get("espeak_rates", o.espeakRates);
        get("espeak_pitches", o.espeakPitches);
        get("espeak_renditions", o.espeakRenditions);
        get("classic_renditions", o.classicRenditions);
        get("flite_stretches", o.fliteStretches);
        get("flite_pitches", o.flitePitches);
        get("flite_renditions", o.fliteRenditions);
        get("festival_stretches", o.festivalStretches);
        get("festival_pitches", o.festivalPitches);
        get("festival_renditions", o.festivalRenditions);
        get("validation_fraction", o.validationFraction);
        get("test_fraction", o.testFraction);
        get("flite_validation", o.fliteValidation);
        get("flite_test", o.fliteTest);
        get("festival_validation", o.festivalValidation);
        get("festival_test", o.festivalTest);
        get("splits", o.splits);
        get("limit", o.limit);
        get("sample_rate", o.sampleRate);
        get("clip_length", o.clipLength);
        get("min_peak", o.minPeak);
        get("max_peak", o.maxPeak);
        get("babble_sentences", o.babbleSentences);
    } catch (const json::exception& e) {
        throw Error(source + ": bad data set options: " + e.what());
    }
    return o;
}

}  // namespace s4scope::train
