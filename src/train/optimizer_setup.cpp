#include "optimizer_setup.h"

namespace s4scope::train {

bool isSsmParameter(const std::string& name) {
    for (const char* suffix : {"kernel.log_dt", "kernel.log_A_real", "kernel.A_imag"}) {
        const std::string s(suffix);
        if (name.size() >= s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0) return true;
    }
    return false;
}

ScheduledOptimizer::ScheduledOptimizer(S4ClassifierImpl& model, const OptimizerSettings& settings) {
    std::vector<torch::Tensor> other, ssm;
    for (const auto& item : model.named_parameters()) (isSsmParameter(item.key()) ? ssm : other).push_back(item.value());

    std::vector<torch::optim::OptimizerParamGroup> groups;
    groups.emplace_back(other, std::make_unique<torch::optim::AdamWOptions>(
                                   torch::optim::AdamWOptions(settings.learningRate).weight_decay(settings.weightDecay)));
    groups.emplace_back(ssm, std::make_unique<torch::optim::AdamWOptions>(
                                 torch::optim::AdamWOptions(settings.ssmLearningRate).weight_decay(0.0)));
    baseRates_ = {settings.learningRate, settings.ssmLearningRate};
    optimizer_ = std::make_unique<torch::optim::AdamW>(groups, torch::optim::AdamWOptions(settings.learningRate));
}

void ScheduledOptimizer::setScale(double scale) {
    auto& groups = optimizer_->param_groups();
    for (size_t i = 0; i < groups.size(); ++i)
        static_cast<torch::optim::AdamWOptions&>(groups[i].options()).lr(baseRates_[i] * scale);
}

double ScheduledOptimizer::learningRate() const {
    return static_cast<const torch::optim::AdamWOptions&>(optimizer_->param_groups()[0].options()).lr();
}

}  // namespace s4scope::train
