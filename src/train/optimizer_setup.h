#pragma once
// AdamW with two parameter groups, as the S4 reference trains: the SSM parameters (log_dt,
// log_A_real, A_imag) at a lower learning rate and without weight decay, everything else at the
// base rate with weight decay.
#include <torch/torch.h>

#include <memory>
#include <vector>

#include "model/s4_model.h"

namespace s4scope::train {

struct OptimizerSettings {
    double learningRate = 1e-2;
    double ssmLearningRate = 1e-3;
    double weightDecay = 0.01;
};

// True for the parameters that define the S4D state matrix and step (not C, not D).
bool isSsmParameter(const std::string& name);

class ScheduledOptimizer {
public:
    ScheduledOptimizer(S4ClassifierImpl& model, const OptimizerSettings& settings);

    // Each group's rate = its base rate * scale.
    void setScale(double scale);
    double learningRate() const;  // the main group's current rate
    torch::optim::AdamW& adamw() { return *optimizer_; }

private:
    std::unique_ptr<torch::optim::AdamW> optimizer_;
    std::vector<double> baseRates_;
};

}  // namespace s4scope::train
