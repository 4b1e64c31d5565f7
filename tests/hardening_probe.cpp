// A child process for tests/test_hardening.cpp: opens one input the way the programs do and
// reports how it ended, so the test can measure its time and peak memory (wait4) and see that a
// crash stays a crash. Exit 0: accepted; 3: refused with an s4scope::Error (message on stdout);
// 4: any other exception (a bug).
#include <cstdio>
#include <exception>
#include <string>

#include "s4scope/audio_io.h"
#include "s4scope/checkpoint.h"
#include "s4scope/error.h"
#include "s4scope/model.h"
#include "s4scope/model_config.h"
#include "app/session.h"

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: hardening_probe checkpoint|model|config|audio|session PATH\n");
        return 2;
    }
    const std::string kind = argv[1], path = argv[2];
    try {
        if (kind == "checkpoint") {
            s4scope::readCheckpoint(path);
        } else if (kind == "model") {
            s4scope::Model::load(path);
        } else if (kind == "config") {
            s4scope::ModelConfig::fromFile(path);
        } else if (kind == "audio") {
            s4scope::loadAudio(path, {});
        } else if (kind == "session") {
            s4scope::app::Session::load(QString::fromStdString(path));
        } else {
            std::fprintf(stderr, "unknown kind %s\n", kind.c_str());
            return 2;
        }
    } catch (const s4scope::Error& e) {
        std::printf("%s\n", e.what());
        return 3;
    } catch (const std::exception& e) {
        std::printf("other exception: %s\n", e.what());
        return 4;
    }
    std::printf("accepted\n");
    return 0;
}
