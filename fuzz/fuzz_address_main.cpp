// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "fuzz_targets.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    venus::fuzz::fuzz_address(data, size);
    return 0;
}
