// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "venus/cli/cli.hpp"

int main(int argc, char** argv) { return venus::cli::run(argc, argv); }
