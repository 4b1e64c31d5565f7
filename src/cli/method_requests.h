#pragma once
// The methods a batch command runs: --method ids (repeated or comma-separated) and --param
// NAME=VALUE, which goes to every chosen method that has NAME (a NAME none of them has is an Error,
// as is an unknown id).
#include <cstdint>
#include <string>
#include <vector>

#include "s4scope/attribution.h"

namespace s4scope::cli {

std::vector<ExplainRequest> methodRequests(const std::vector<std::string>& methods, const std::vector<std::string>& params,
                                           int64_t target, uint64_t seed);

}  // namespace s4scope::cli
