# Every dependency comes from a Debian 12 package (scripts/setup.sh installs them).
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(OpenSSL 3 REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(fmt REQUIRED)
find_package(spdlog REQUIRED)
find_package(cxxopts REQUIRED)
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
pkg_check_modules(LMDB REQUIRED IMPORTED_TARGET lmdb)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
pkg_check_modules(SECP256K1 REQUIRED IMPORTED_TARGET libsecp256k1)
pkg_check_modules(TOMLPP REQUIRED IMPORTED_TARGET tomlplusplus)

find_path(HTTP_PARSER_INCLUDE_DIR http_parser.h REQUIRED)
find_library(HTTP_PARSER_LIBRARY http_parser REQUIRED)
add_library(venus_http_parser INTERFACE)
target_include_directories(venus_http_parser SYSTEM INTERFACE ${HTTP_PARSER_INCLUDE_DIR})
target_link_libraries(venus_http_parser INTERFACE ${HTTP_PARSER_LIBRARY})

# Standalone Asio and RapidJSON are header-only packages.
find_path(ASIO_INCLUDE_DIR asio.hpp REQUIRED)
add_library(venus_asio INTERFACE)
target_include_directories(venus_asio SYSTEM INTERFACE ${ASIO_INCLUDE_DIR})
target_compile_definitions(venus_asio INTERFACE ASIO_STANDALONE ASIO_NO_DEPRECATED)
target_link_libraries(venus_asio INTERFACE Threads::Threads)

find_path(RAPIDJSON_INCLUDE_DIR rapidjson/document.h REQUIRED)
add_library(venus_rapidjson INTERFACE)
target_include_directories(venus_rapidjson SYSTEM INTERFACE ${RAPIDJSON_INCLUDE_DIR})
# 64-bit integers must never pass through doubles (Nonce, GasLimit and Method go up to 2^64-1).
target_compile_definitions(venus_rapidjson INTERFACE RAPIDJSON_HAS_STDSTRING=1)
