#include "classic_espeak_synthesiser.h"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <future>
#include <sstream>

#include "s4scope/audio_io.h"
#include "s4scope/error.h"

namespace s4scope::train {
namespace {

std::string run(const std::string& command) {
    FILE* pipe = popen(command.c_str(), "r");
    if (!pipe) throw Error("classic espeak: cannot run '" + command + "'");
    std::string out;
    std::array<char, 4096> buf;
    for (size_t n; (n = fread(buf.data(), 1, buf.size(), pipe)) > 0;) out.append(buf.data(), n);
    const int status = pclose(pipe);
    if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        throw Error("classic espeak: '" + command + "' failed (is the espeak package installed? see scripts/setup.sh)");
    return out;
}

bool safeName(const std::string& s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return std::isalnum((unsigned char)c) || c == '-' || c == '_'; });
}

}  // namespace

ClassicEspeakSynthesiser& ClassicEspeakSynthesiser::instance() {
    static ClassicEspeakSynthesiser synthesiser;
    return synthesiser;
}

// `espeak --voices=LANG` prints "Pty Language Age/Gender VoiceName File Other": the File column's
// last path component is what -v takes.
std::vector<std::string> ClassicEspeakSynthesiser::list(const std::string& which) {
    if (::access("/usr/bin/espeak", X_OK) != 0)
        throw Error("classic espeak is not installed (/usr/bin/espeak; install the Debian package espeak, see scripts/setup.sh)");
    std::istringstream lines(run("/usr/bin/espeak --voices=" + which + " 2>/dev/null"));
    std::vector<std::string> out;
    std::string line;
    std::getline(lines, line);  // header
    while (std::getline(lines, line)) {
        std::istringstream fields(line);
        std::string pty, language, gender, name, file;
        if (!(fields >> pty >> language >> gender >> name >> file)) continue;
        if (file.rfind("mb/", 0) == 0 || file == "default") continue;  // mbrola data is not packaged; default = en
        const std::string id = file.substr(file.find_last_of('/') + 1);
        if (safeName(id) && std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
    }
    std::sort(out.begin(), out.end());
    if (out.empty()) throw Error("classic espeak lists no " + which + " voices");
    return out;
}

std::vector<std::string> ClassicEspeakSynthesiser::accents() {
    if (accents_.empty()) accents_ = list("en");
    return accents_;
}

std::vector<std::string> ClassicEspeakSynthesiser::variants() {
    if (variants_.empty()) variants_ = list("variant");
    return variants_;
}

Waveform ClassicEspeakSynthesiser::speak(const std::string& word, const std::string& accent,
                                         const std::string& variant, int rate, int pitch) {
    const Request request{word, accent, variant, rate, pitch};
    const auto cached = cache_.find(request);
    if (cached != cache_.end()) {
        Waveform w = std::move(cached->second);
        cache_.erase(cached);
        return w;
    }
    return synthesise(request);
}

void ClassicEspeakSynthesiser::prefetch(const std::vector<Request>& requests, int processes) {
    accents();  // list once, before the threads
    variants();
    for (size_t start = 0; start < requests.size(); start += size_t(processes)) {
        std::vector<std::future<Waveform>> running;
        const size_t end = std::min(requests.size(), start + size_t(processes));
        for (size_t i = start; i < end; ++i)
            running.push_back(std::async(std::launch::async, [this, &requests, i] { return synthesise(requests[i]); }));
        for (size_t i = start; i < end; ++i) cache_[requests[i]] = running[i - start].get();
    }
}

Waveform ClassicEspeakSynthesiser::synthesise(const Request& request) {
    const auto& [word, accent, variant, rate, pitch] = request;
    const auto& a = accents_;
    const auto& v = variants_;
    if (std::find(a.begin(), a.end(), accent) == a.end())
        throw Error("classic espeak: no English voice '" + accent + "' (see `espeak --voices=en`)");
    if (!variant.empty() && std::find(v.begin(), v.end(), variant) == v.end())
        throw Error("classic espeak: no voice variant '" + variant + "' (see `espeak --voices=variant`)");
    // The text goes on a command line: letters and spaces only.
    if (word.empty() || !std::all_of(word.begin(), word.end(), [](char c) { return std::isalpha((unsigned char)c) || c == ' '; }))
        throw Error("classic espeak: '" + word + "' is not plain words");

    char path[] = "/tmp/s4scope-espeak-XXXXXX.wav";
    const int fd = mkstemps(path, 4);
    if (fd < 0) throw Error("classic espeak: cannot create a temporary file in /tmp");
    ::close(fd);
    const std::string voice = accent + (variant.empty() ? "" : "+" + variant);
    run("/usr/bin/espeak -v " + voice + " -s " + std::to_string(rate) + " -p " + std::to_string(pitch) + " -w " +
        path + " '" + word + "' 2>&1");
    AudioLoadOptions load;
    load.length = 0;
    load.sampleRate = 22050;  // espeak's own rate: no resampling here
    Audio audio;
    try {
        audio = loadAudio(path, load);
    } catch (const Error& e) {
        std::filesystem::remove(path);
        throw Error("classic espeak said nothing for '" + word + "' with voice " + voice + ": " + e.what());
    }
    std::filesystem::remove(path);
    return Waveform{audio.samples, load.sampleRate};
}

}  // namespace s4scope::train
