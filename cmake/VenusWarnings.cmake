# One interface target carries the warning set; every project target links it. Warnings are errors.
add_library(venus_warnings INTERFACE)
target_compile_options(venus_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wformat=2 -Wcast-qual -Wimplicit-fallthrough -Werror)
