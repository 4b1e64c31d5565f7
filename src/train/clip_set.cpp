#include "clip_set.h"

#include <algorithm>
#include <filesystem>

#include "s4scope/audio_io.h"
#include "s4scope/error.h"

namespace s4scope::train {

ClipSet loadClipSet(const std::string& dataDir, const std::vector<ManifestEntry>& manifest, const std::string& split,
                    int64_t clipLength, int64_t classes, std::ostream* progress) {
    ClipSet set;
    set.split = split;
    for (const auto& e : manifest)
        if (e.split == split) set.entries.push_back(e);
    const int64_t n = set.size();
    set.audio = torch::zeros({n, clipLength});
    set.labels = torch::zeros({n}, torch::kLong);
    auto audio = set.audio.accessor<float, 2>();
    auto labels = set.labels.accessor<int64_t, 1>();
    AudioLoadOptions load;
    load.length = 0;  // everything: a clip without a recorded word extent gets its length from here
    for (int64_t i = 0; i < n; ++i) {
        const auto& e = set.entries[size_t(i)];
        if (e.label < 0 || e.label >= classes)
            throw Error(e.path + ": label " + std::to_string(e.label) + " is outside the model's " +
                        std::to_string(classes) + " classes");
        const Audio clip = loadAudio((std::filesystem::path(dataDir) / e.path).string(), load);
        const int64_t n = std::min<int64_t>(clipLength, int64_t(clip.samples.size()));
        for (int64_t t = 0; t < n; ++t) audio[i][t] = clip.samples[size_t(t)];
        if (set.entries[size_t(i)].length <= 0) {  // Speech Commands: the whole (at most one second) clip
            set.entries[size_t(i)].offset = 0;
            set.entries[size_t(i)].length = n;
        }
        labels[i] = e.label;
    }
    if (progress) *progress << "train: loaded " << n << " " << split << " clips" << std::endl;
    return set;
}

}  // namespace s4scope::train
