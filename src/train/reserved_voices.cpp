#include "reserved_voices.h"

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "s4scope/error.h"

namespace s4scope::train {
namespace {

std::string lower(std::string s) {
    for (char& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

}  // namespace

bool isReservedFestivalVoice(const std::string& name) {
    const std::string n = lower(name);
    // The English voices Debian 12 packages (festvox-kallpc*, festvox-kdlpc*, festvox-us-slt-hts)
    // and the names they go by; any spelling that contains their speaker's name counts.
    for (const char* reserved : {"kal", "ked", "slt", "rab", "awb", "jmk", "bdl", "clb", "rms"})
        if (n.find(reserved) != std::string::npos) return true;
    if (n.rfind("us_", 0) == 0 || n.rfind("cmu_us", 0) == 0 || n.rfind("en_", 0) == 0) return true;
    // Whatever Festival keeps in its English folder, under any name.
    std::error_code ec;
    for (const char* root : {"/usr/share/festival/voices/english", "/usr/lib/festival/voices/english"})
        if (std::filesystem::exists(std::filesystem::path(root) / name, ec)) return true;
    return false;
}

void refuseReservedFestivalVoice(const std::string& name) {
    if (isReservedFestivalVoice(name))
        throw Error("festival voice '" + name +
                    "' is reserved for the project's independent evaluation (DESIGN.md §5: Festival's English "
                    "voices and real recordings are never used for training, validation or tuning)");
}

}  // namespace s4scope::train
