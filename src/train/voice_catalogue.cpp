#include "voice_catalogue.h"

#include <algorithm>
#include <cctype>

#include "classic_espeak_synthesiser.h"
#include "espeak_synthesiser.h"
#include "festival_synthesiser.h"
#include "reserved_voices.h"
#include "flite_synthesiser.h"
#include "s4scope/error.h"

namespace s4scope::train {
namespace {

bool sameName(const std::string& a, const std::string& b) {
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return std::tolower(x) == std::tolower(y); });
}

std::string joined(const std::vector<std::string>& names) {
    std::string s;
    for (const auto& n : names) s += (s.empty() ? "" : ", ") + (n.empty() ? std::string("default") : n);
    return s;
}

// The requested names resolved to the engine's spelling; empty request = all, {"none"} = none.
std::vector<std::string> select(const std::vector<std::string>& requested, const std::vector<std::string>& available,
                                const std::string& what) {
    if (requested.empty()) return available;
    if (requested.size() == 1 && requested[0] == "none") return {};
    std::vector<std::string> out;
    for (const auto& name : requested) {
        const auto it = std::find_if(available.begin(), available.end(), [&](const std::string& a) {
            return sameName(a, name) || (a.empty() && sameName(name, "default"));
        });
        if (it == available.end()) throw Error("no " + what + " '" + name + "' (available: " + joined(available) + ")");
        out.push_back(*it);
    }
    return out;
}

}  // namespace

std::string VoiceSpec::name() const {
    return engine + ":" + accent + (variant.empty() ? "" : "+" + variant);
}

std::string VoiceSpec::splitGroup() const {
    if (engine == "espeak-ng" || engine == "espeak") {
        std::string v = variant.empty() ? std::string("default") : variant;
        for (char& c : v) c = char(std::tolower(static_cast<unsigned char>(c)));
        return "espeak-variant:" + v;
    }
    if (engine == "flite") return "flite-speaker:" + (accent == "kal16" ? std::string("kal") : accent);
    return engine + "-speaker:" + accent;
}

namespace {

bool wanted(const std::vector<std::string>& requested) {
    return !(requested.size() == 1 && requested[0] == "none");
}

}  // namespace

std::vector<VoiceSpec> catalogueVoices(const DatasetOptions& options) {
    std::vector<VoiceSpec> voices;
    if (wanted(options.accents)) {
        auto& espeak = EspeakSynthesiser::instance();
        std::vector<std::string> variants = espeak.variants();
        variants.insert(variants.begin(), "");  // the accent's own voice
        for (const auto& accent : select(options.accents, espeak.accents(), "espeak-ng English accent"))
            for (const auto& variant : select(options.variants, variants, "espeak-ng voice variant"))
                voices.push_back({"espeak-ng", accent, variant});
    }
    if (wanted(options.classicAccents)) {
        auto& classic = ClassicEspeakSynthesiser::instance();
        std::vector<std::string> variants = classic.variants();
        variants.insert(variants.begin(), "");
        for (const auto& accent : select(options.classicAccents, classic.accents(), "classic espeak English voice"))
            for (const auto& variant : select(options.classicVariants, variants, "classic espeak voice variant"))
                voices.push_back({"espeak", accent, variant});
    }
    for (const auto& voice : select(options.fliteVoices, FliteSynthesiser::instance().voices(), "flite voice"))
        voices.push_back({"flite", voice, ""});
    if (wanted(options.festivalVoices)) {
        // Reserved voices are refused by name before anything else: they are not merely
        // unavailable, they must never be asked for.
        for (const auto& name : options.festivalVoices) refuseReservedFestivalVoice(name);
        for (const auto& voice : select(options.festivalVoices, FestivalSynthesiser::allowedVoices(), "festival voice"))
            voices.push_back({"festival", voice, ""});
    }
    std::sort(voices.begin(), voices.end(),
              [](const VoiceSpec& a, const VoiceSpec& b) { return a.name() < b.name(); });
    voices.erase(std::unique(voices.begin(), voices.end(),
                             [](const VoiceSpec& a, const VoiceSpec& b) { return a.name() == b.name(); }),
                 voices.end());
    return voices;
}

}  // namespace s4scope::train
