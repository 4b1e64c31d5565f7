#include "flite_synthesiser.h"

#include <flite/flite.h>

#include <map>

#include "s4scope/error.h"

extern "C" {
cst_voice* register_cmu_us_kal(const char*);
cst_voice* register_cmu_us_kal16(const char*);
cst_voice* register_cmu_us_awb(const char*);
cst_voice* register_cmu_us_rms(const char*);
cst_voice* register_cmu_us_slt(const char*);
}

namespace s4scope::train {
namespace {

struct FliteVoice {
    cst_voice* (*registerVoice)(const char*);
    double meanF0;  // Hz; the clustergen voices carry no int_f0_target_mean, so measured here
};

const std::map<std::string, FliteVoice>& voiceTable() {
    static const std::map<std::string, FliteVoice> table = {
        {"kal", {register_cmu_us_kal, 95}},  {"kal16", {register_cmu_us_kal16, 95}},
        {"awb", {register_cmu_us_awb, 120}}, {"rms", {register_cmu_us_rms, 85}},
        {"slt", {register_cmu_us_slt, 175}},
    };
    return table;
}

}  // namespace

FliteSynthesiser& FliteSynthesiser::instance() {
    static FliteSynthesiser synthesiser;
    return synthesiser;
}

FliteSynthesiser::FliteSynthesiser() { flite_init(); }

std::vector<std::string> FliteSynthesiser::voices() const {
    return {"kal", "kal16", "awb", "rms", "slt"};
}

Waveform FliteSynthesiser::speak(const std::string& word, const std::string& voiceName, double durationStretch,
                                 double pitchFactor) {
    static std::map<std::string, cst_voice*> registered;
    const auto entry = voiceTable().find(voiceName);
    if (entry == voiceTable().end())
        throw Error("flite: no voice '" + voiceName + "' (this build knows kal, kal16, awb, rms, slt)");
    cst_voice*& voice = registered[voiceName];
    if (!voice) voice = entry->second.registerVoice(nullptr);
    if (!voice) throw Error("flite: voice '" + voiceName + "' could not be registered");

    // Features persist on the voice: set both every time.
    feat_set_float(voice->features, "duration_stretch", float(durationStretch));
    feat_set_float(voice->features, "int_f0_target_mean", float(entry->second.meanF0 * pitchFactor));
    cst_wave* wave = flite_text_to_wave(word.c_str(), voice);
    if (!wave || wave->num_samples <= 0) {
        if (wave) delete_wave(wave);
        throw Error("flite: synthesis of '" + word + "' with voice '" + voiceName + "' failed");
    }
    Waveform w;
    w.sampleRate = wave->sample_rate;
    w.samples.reserve(wave->num_samples);
    for (int i = 0; i < wave->num_samples; ++i) w.samples.push_back(wave->samples[i] / 32768.f);
    delete_wave(wave);
    return w;
}

}  // namespace s4scope::train
