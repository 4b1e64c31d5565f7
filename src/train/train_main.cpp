// s4scope-train: trains the keyword classifier on a data set written by s4scope-dataset.
#include <iostream>

#include "arg_list.h"
#include "s4scope/error.h"
#include "trainer.h"

using namespace s4scope;
using namespace s4scope::train;

namespace {

const char* const kUsage = R"(usage: s4scope-train [options]
Trains the S4 keyword classifier (the card's architecture) and keeps the best validation checkpoint.

  --data DIR              data set folder of s4scope-dataset (default keyword-data)
  --speech-commands DIR   train on Google Speech Commands v2 instead, in its own layout: DIR/WORD/*.wav,
                          validation_list.txt and testing_list.txt for the split, _background_noise_/
                          mixed in as noise (other word folders: babble)
  --out DIR               resume state and report.md (default training)
  --weights FILE          the best model's weights, NAME.pt or NAME.safetensors, with NAME_config.json
                          beside it (default OUT/s4_kws.pt)
  --epochs N              (default 12)
  --batch-size N          (default 64)
  --lr X                  AdamW learning rate (default 0.01)
  --ssm-lr X              for log_dt, log_A_real, A_imag, without weight decay (default 0.001)
  --weight-decay X        (default 0.01)
  --warmup-epochs X       linear warmup before the cosine decay (default 1)
  --seed N                initialisation, batch order, augmentation (default 1)
  --threads N             libtorch threads (default: the cores, or S4SCOPE_THREADS)
  --no-augment            train on the clips as they are
  --no-vtlp, --no-pitch, --no-tempo, --no-reverb, --no-colour, --no-noise, --no-clipping
                          switch one augmentation off (see src/train/README.md)
  --snr-range LO,HI       background noise SNR in dB (default 0,30)
  --report-snr X          the report's noisy condition: babble at X dB SNR (default 10)
  --max-steps-per-epoch N cut epochs short (smoke runs)
  --log-every N           a progress line every N steps (default 50; 0: per epoch only)
  --resume                continue from OUT/resume_* (same options)
  --no-test               do not evaluate the test split at the end
  --evaluate FILE         only evaluate this model pair on the data set's splits (report in OUT)
  --d-model N, --d-state N, --layers N   architecture (defaults 128, 64, 3)
)";

}  // namespace

int main(int argc, char** argv) {
    try {
        ArgList args(argc, argv, {"help", "no-augment", "resume", "no-test", "no-vtlp", "no-pitch", "no-tempo",
                                  "no-reverb", "no-colour", "no-noise", "no-clipping"});
        const std::string evaluateOnly = args.text("evaluate", "");
        if (args.flag("help")) {
            std::cout << kUsage;
            return 0;
        }
        TrainOptions o;
        o.dataDir = args.text("data", o.dataDir);
        o.outDir = args.text("out", o.outDir);
        o.weightsPath = args.text("weights", o.weightsPath);
        o.epochs = args.number<int64_t>("epochs", o.epochs);
        o.batchSize = args.number<int64_t>("batch-size", o.batchSize);
        o.learningRate = args.number<double>("lr", o.learningRate);
        o.ssmLearningRate = args.number<double>("ssm-lr", o.ssmLearningRate);
        o.weightDecay = args.number<double>("weight-decay", o.weightDecay);
        o.warmupEpochs = args.number<double>("warmup-epochs", o.warmupEpochs);
        o.seed = args.number<uint64_t>("seed", o.seed);
        o.threads = args.number<int>("threads", o.threads);
        o.speechCommandsDir = args.text("speech-commands", o.speechCommandsDir);
        o.augment = !args.flag("no-augment");
        AugmentOptions& a = o.augmentation;
        if (args.flag("no-vtlp")) a.vtlpProbability = 0;
        if (args.flag("no-pitch")) a.pitchProbability = 0;
        if (args.flag("no-tempo")) a.tempoProbability = 0;
        if (args.flag("no-reverb")) a.reverbProbability = 0;
        if (args.flag("no-colour")) a.colourProbability = 0;
        if (args.flag("no-noise")) a.noiseProbability = 0;
        if (args.flag("no-clipping")) a.clipProbability = 0;
        const auto snr = args.numbers("snr-range", {a.minSnrDb, a.maxSnrDb});
        if (snr.size() != 2 || snr[0] > snr[1]) throw Error("option --snr-range: expected LO,HI with LO <= HI");
        a.minSnrDb = snr[0];
        a.maxSnrDb = snr[1];
        o.reportSnrDb = args.number<double>("report-snr", o.reportSnrDb);
        o.maxStepsPerEpoch = args.number<int64_t>("max-steps-per-epoch", o.maxStepsPerEpoch);
        o.logEverySteps = args.number<int64_t>("log-every", o.logEverySteps);
        o.resume = args.flag("resume");
        o.evaluateTest = !args.flag("no-test");
        o.model.d_model = args.number<int64_t>("d-model", o.model.d_model);
        o.model.d_state = args.number<int64_t>("d-state", o.model.d_state);
        o.model.n_layers = args.number<int64_t>("layers", o.model.n_layers);
        args.rejectUnknown();
        o.model.validate("the command line");
        if (!evaluateOnly.empty()) {
            o.weightsPath = evaluateOnly;
            evaluateModel(o, &std::cout);
            return 0;
        }
        trainModel(o, &std::cout);
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "s4scope-train: " << e.what() << std::endl;
        return 1;
    }
}
