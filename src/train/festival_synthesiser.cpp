#include "festival_synthesiser.h"

#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "reserved_voices.h"
#include "s4scope/audio_io.h"
#include "s4scope/error.h"

namespace s4scope::train {
namespace fs = std::filesystem;
namespace {

struct VoiceEntry {
    const char* name;
    const char* language;  // Festival's folder under voices/, and the spelling table below
    const char* package;   // the Debian package that installs it
};

// Debian 12's non-English Festival voices. The three NSK voices need the intonation method set
// (their voice files leave Int_Method to the English default voice, which is not installed).
const VoiceEntry kVoices[] = {
    {"upc_ca_ona_hts", "catalan", "festvox-ca-ona-hts"},
    {"czech_dita", "czech", "festvox-czech-dita"},
    {"czech_krb", "czech", "festvox-czech-krb"},
    {"czech_machac", "czech", "festvox-czech-machac"},
    {"czech_ph", "czech", "festvox-czech-ph"},
    {"hy_fi_mv_diphone", "finnish", "festvox-suopuhe-mv"},
    {"suo_fi_lj_diphone", "finnish", "festvox-suopuhe-lj"},
    {"hindi_NSK_diphone", "hindi", "festvox-hi-nsk festival-hi"},
    {"lp_diphone", "italian", "festvox-italp16k"},
    {"pc_diphone", "italian", "festvox-itapc16k"},
    {"marathi_NSK_diphone", "marathi", "festvox-mr-nsk festival-mr"},
    {"msu_ru_nsh_clunits", "russian", "festvox-ru"},
    {"telugu_NSK_diphone", "telugu", "festvox-te-nsk festival-te"},
};

// yes no up down left right on off stop go, spelled so each language's rules say the English word.
const std::map<std::string, std::vector<std::string>>& spellings() {
    static const std::map<std::string, std::vector<std::string>> table = {
        {"catalan", {"iés", "nou", "ap", "daun", "left", "rait", "on", "of", "stop", "gou"}},
        {"czech", {"jes", "nou", "ap", "daun", "left", "rajt", "on", "of", "stop", "gou"}},
        {"finnish", {"jes", "nou", "ap", "daun", "left", "rait", "on", "of", "stop", "gou"}},
        {"italian", {"ies", "nou", "ap", "daun", "left", "rait", "on", "of", "stop", "gou"}},
        {"russian", {"йес", "ноу", "ап", "даун", "лефт", "райт", "он", "оф", "стоп", "гоу"}},
        {"hindi", {"यस", "नो", "अप", "डाउन", "लेफ्ट", "राइट", "ऑन", "ऑफ", "स्टॉप", "गो"}},
        {"marathi", {"यस", "नो", "अप", "डाउन", "लेफ्ट", "राइट", "ऑन", "ऑफ", "स्टॉप", "गो"}},
        {"telugu", {"యెస్", "నో", "అప్", "డౌన్", "లెఫ్ట్", "రైట్", "ఆన్", "ఆఫ్", "స్టాప్", "గో"}},
    };
    return table;
}

const char* const kWords[] = {"yes", "no", "up", "down", "left", "right", "on", "off", "stop", "go"};

const VoiceEntry* findVoice(const std::string& name) {
    for (const auto& v : kVoices)
        if (name == v.name) return &v;
    return nullptr;
}

std::string key(const std::string& voice, const std::string& word, double stretch) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4f", stretch);
    return voice + "|" + word + "|" + buf;
}

// Scheme string literal: the texts are plain letters, but be safe with quotes and backslashes.
std::string quoted(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

void checkInstalled(const VoiceEntry& v) {
    const fs::path dir = fs::path("/usr/share/festival/voices") / v.language / v.name;
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        throw Error("festival voice '" + std::string(v.name) + "' is not installed (" + dir.string() +
                    " is missing; install the Debian package " + v.package + ", see scripts/setup.sh)");
}

}  // namespace

FestivalSynthesiser& FestivalSynthesiser::instance() {
    static FestivalSynthesiser synthesiser;
    return synthesiser;
}

std::vector<std::string> FestivalSynthesiser::allowedVoices() {
    std::vector<std::string> out;
    for (const auto& v : kVoices) out.push_back(v.name);
    return out;
}

std::string FestivalSynthesiser::languageOf(const std::string& voice) {
    const VoiceEntry* v = findVoice(voice);
    return v ? v->language : "";
}

std::string FestivalSynthesiser::textFor(const std::string& voice, const std::string& word) {
    const std::string language = languageOf(voice);
    const auto& table = spellings();
    const auto it = table.find(language);
    if (it == table.end()) throw Error("festival voice '" + voice + "' has no spelling table");
    for (size_t i = 0; i < std::size(kWords); ++i)
        if (word == kWords[i]) return it->second[i];
    throw Error("festival: no " + language + " spelling of the word '" + word + "'");
}

void FestivalSynthesiser::prefetch(const std::string& voice,
                                   const std::vector<std::pair<std::string, double>>& requests) {
    refuseReservedFestivalVoice(voice);
    const VoiceEntry* entry = findVoice(voice);
    if (!entry) {
        std::string names;
        for (const auto& v : kVoices) names += (names.empty() ? "" : ", ") + std::string(v.name);
        throw Error("no festival voice '" + voice + "' (allowed: " + names + ")");
    }
    checkInstalled(*entry);
    std::vector<std::pair<std::string, double>> missing;
    for (const auto& r : requests)
        if (!cache_.count(key(voice, r.first, r.second))) missing.push_back(r);
    if (missing.empty()) return;

    char pattern[] = "/tmp/s4scope-festival-XXXXXX";
    if (!mkdtemp(pattern)) throw Error("festival: cannot create a temporary folder in /tmp");
    const fs::path dir(pattern);
    const fs::path script = dir / "synth.scm";
    {
        std::ofstream out(script);
        out << "(voice_" << voice << ")\n";
        if (std::string(entry->name).find("NSK") != std::string::npos)
            out << "(Parameter.set 'Int_Method 'Intonation_Tree)\n(set! int_tone_cart_tree '((NONE)))\n";
        for (size_t i = 0; i < missing.size(); ++i) {
            out << "(Parameter.set 'Duration_Stretch " << missing[i].second << ")\n";
            out << "(utt.save.wave (utt.synth (Utterance Text " << quoted(textFor(voice, missing[i].first)) << ")) "
                << quoted((dir / (std::to_string(i) + ".wav")).string()) << " 'riff)\n";
        }
        if (!out) throw Error(script.string() + ": cannot be written");
    }
    const std::string command = "festival --pipe < '" + script.string() + "' > '" + (dir / "log.txt").string() + "' 2>&1";
    const int status = std::system(command.c_str());
    std::vector<Waveform> results;
    std::string failure;
    if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) == 127)
        failure = "festival could not be run (is the festival package installed? see scripts/setup.sh)";
    for (size_t i = 0; failure.empty() && i < missing.size(); ++i) {
        const fs::path wav = dir / (std::to_string(i) + ".wav");
        if (!fs::exists(wav)) {
            failure = "festival voice '" + voice + "' said nothing for '" + missing[i].first + "' (log: " +
                      (dir / "log.txt").string() + ")";
            break;
        }
        AudioLoadOptions load;
        load.length = 0;  // everything, at 16 kHz
        const Audio audio = loadAudio(wav.string(), load);
        cache_[key(voice, missing[i].first, missing[i].second)] = Waveform{audio.samples, load.sampleRate};
    }
    if (!failure.empty()) throw Error(failure);
    std::error_code ec;
    fs::remove_all(dir, ec);
}

Waveform FestivalSynthesiser::speak(const std::string& word, const std::string& voice, double durationStretch) {
    const std::string k = key(voice, word, durationStretch);
    if (!cache_.count(k)) prefetch(voice, {{word, durationStretch}});
    return cache_.at(k);
}

}  // namespace s4scope::train
