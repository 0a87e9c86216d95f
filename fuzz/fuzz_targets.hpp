// SPDX-License-Identifier: Apache-2.0 OR MIT
//! Fuzz entry points shared by the libFuzzer binaries (clang, VENUS_FUZZ) and the regression test
//! that replays the corpus in the normal suite (g++). Each returns normally for every input and
//! calls std::abort() when an invariant breaks (the fuzzer reports that as a crash).
#pragma once

#include <cstddef>
#include <cstdint>

namespace venus::fuzz {

//! DAG-CBOR decoder: generic values, validation, typed chain decoders; anything accepted must
//! re-encode to the same bytes.
void fuzz_cbor(const std::uint8_t* data, std::size_t size);
//! Address parser (text and bytes): anything accepted must round-trip exactly.
void fuzz_address(const std::uint8_t* data, std::size_t size);

}  // namespace venus::fuzz
