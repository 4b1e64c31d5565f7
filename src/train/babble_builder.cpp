#include "babble_builder.h"

#include <cmath>
#include <filesystem>

#include "classic_espeak_synthesiser.h"
#include "espeak_synthesiser.h"
#include "flite_synthesiser.h"
#include "rng.h"
#include "s4scope/audio_io.h"
#include "s4scope/error.h"
#include "wav_writer.h"
#include "word_clip.h"

namespace s4scope::train {
namespace fs = std::filesystem;

const std::vector<std::string>& babbleSentences() {
    static const std::vector<std::string> sentences = {
        "the kettle in the kitchen was whistling for a while",
        "she bought three apples and a loaf of bread",
        "we will meet at the station after lunch",
        "my brother painted the fence a pale shade of blue",
        "the weather was warm and the sky was clear",
        "please pass the salt and the pepper",
        "they walked along the river until sunset",
        "a small dog barked at the passing cars",
        "the meeting has been moved to thursday afternoon",
        "her grandmother makes the best soup in town",
        "the children were laughing in the garden",
        "he forgot his umbrella at the office again",
        "the train was late because of the heavy snow",
        "i think the library closes at eight",
        "the museum has a new exhibition about whales",
        "our neighbours are moving to a bigger house",
        "the coffee was too hot to drink",
        "she reads a chapter every night before sleep",
        "the farmer sold eggs and honey at the market",
        "we should call the plumber about the sink",
        "the orchestra played a piece by a young composer",
        "his bicycle has a flat tyre",
        "the bakery smells wonderful in the morning",
        "they painted the kitchen walls yellow",
        "the teacher asked the class a difficult question",
        "a cold wind blew across the empty field",
        "the postman brought a parcel from abroad",
        "my sister is learning to play the violin",
        "the restaurant was full that evening",
        "the old clock in the hall has stopped ticking",
    };
    return sentences;
}

std::vector<std::string> buildBabble(const DatasetOptions& options, const std::vector<VoiceSpec>& voices,
                                     const std::map<std::string, std::string>& splitOf, const std::string& root) {
    std::vector<VoiceSpec> speakers;
    for (const auto& v : voices)
        if (v.engine != "festival" && splitOf.at(v.splitGroup()) == "train") speakers.push_back(v);
    std::vector<std::string> paths;
    if (speakers.empty() || options.babbleSentences <= 0) return paths;
    const fs::path dir = fs::path(root) / "babble";
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw Error(dir.string() + ": cannot create this folder (" + ec.message() + ")");
    const auto& sentences = babbleSentences();
    for (int i = 0; i < options.babbleSentences; ++i) {
        Rng rng(deriveSeed(options.seed, "babble:" + std::to_string(i)));
        const VoiceSpec& v = speakers[rng.below(speakers.size())];
        const std::string& text = sentences[size_t(i) % sentences.size()];
        const int rate = int(140 + rng.below(60)), pitch = int(30 + rng.below(40));
        Waveform w;
        if (v.engine == "espeak-ng") w = EspeakSynthesiser::instance().speak(text, v.accent, v.variant, rate, pitch);
        else if (v.engine == "espeak") w = ClassicEspeakSynthesiser::instance().speak(text, v.accent, v.variant, rate, pitch);
        else w = FliteSynthesiser::instance().speak(text, v.accent, rng.uniform(0.85, 1.2), rng.uniform(0.9, 1.1));
        std::vector<float> samples = trimSilence(resample(w.samples, w.sampleRate, options.sampleRate), options.sampleRate);
        normalisePeak(samples, 0.5f);
        char name[32];
        std::snprintf(name, sizeof name, "%03d.wav", i);
        writeWav16((dir / name).string(), samples, options.sampleRate);
        paths.push_back("babble/" + std::string(name));
    }
    return paths;
}

}  // namespace s4scope::train
