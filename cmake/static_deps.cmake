# static_deps.cmake (BC_STATIC=ON): the three dependencies Debian ships only
# as shared libraries - civetweb, cJSON, cmocka - compiled here from Debian's
# own source packages in BC_DEPS_SRC (ci/static fetches them with apt-get
# source), under the target names the normal build gets from find_*:
# civetweb::civetweb, PkgConfig::CJSON, PkgConfig::CMOCKA. OpenSSL and
# libsodium come from Debian's static libraries (libssl.a, libsodium.a).
if(NOT EXISTS "${BC_DEPS_SRC}/civetweb/src/civetweb.c" OR NOT EXISTS "${BC_DEPS_SRC}/cjson/cJSON.c"
   OR NOT EXISTS "${BC_DEPS_SRC}/cmocka/src/cmocka.c")
  message(FATAL_ERROR "BC_STATIC needs BC_DEPS_SRC with civetweb/, cjson/ and cmocka/ sources "
                      "(ci/static fetches Debian's); got '${BC_DEPS_SRC}'")
endif()

# civetweb as Debian builds it (WebSocket on, IPv6 off), but linked to
# OpenSSL 3 directly instead of dlopen'ing libssl (so no tls_compat shim).
add_library(bc_civetweb STATIC ${BC_DEPS_SRC}/civetweb/src/civetweb.c)
target_include_directories(bc_civetweb SYSTEM PUBLIC ${BC_DEPS_SRC}/civetweb/include)
target_compile_definitions(bc_civetweb PRIVATE USE_WEBSOCKET NO_SSL_DL OPENSSL_API_3_0 NO_CGI)
target_compile_options(bc_civetweb PRIVATE -w)
target_link_libraries(bc_civetweb PUBLIC OpenSSL::SSL Threads::Threads)
add_library(civetweb::civetweb ALIAS bc_civetweb)

# cJSON, included as <cjson/cJSON.h> like Debian's package.
file(MAKE_DIRECTORY ${CMAKE_BINARY_DIR}/deps/include/cjson)
configure_file(${BC_DEPS_SRC}/cjson/cJSON.h ${CMAKE_BINARY_DIR}/deps/include/cjson/cJSON.h COPYONLY)
add_library(bc_cjson STATIC ${BC_DEPS_SRC}/cjson/cJSON.c)
target_include_directories(bc_cjson SYSTEM PUBLIC ${CMAKE_BINARY_DIR}/deps/include)
target_compile_options(bc_cjson PRIVATE -w)
target_link_libraries(bc_cjson PUBLIC m)
add_library(PkgConfig::CJSON ALIAS bc_cjson)

# cmocka (binance-conform runs its cases through it), with the configure
# results of a glibc system given directly instead of its CMake checks.
add_library(bc_cmocka STATIC ${BC_DEPS_SRC}/cmocka/src/cmocka.c)
target_include_directories(bc_cmocka SYSTEM PUBLIC ${BC_DEPS_SRC}/cmocka/include)
target_compile_definitions(bc_cmocka PRIVATE HAVE_MALLOC_H HAVE_INTTYPES_H HAVE_SIGNAL_H HAVE_STRINGS_H
  HAVE_GCC_THREAD_LOCAL_STORAGE HAVE_CLOCK_REALTIME HAVE_SIGLONGJMP HAVE_STRSIGNAL HAVE_SNPRINTF
  HAVE_VSNPRINTF HAVE_INTTYPES_H HAVE_STDINT_H)
target_compile_options(bc_cmocka PRIVATE -w)
add_library(PkgConfig::CMOCKA ALIAS bc_cmocka)

find_library(BC_SODIUM_A NAMES libsodium.a REQUIRED)
add_library(PkgConfig::SODIUM STATIC IMPORTED)
set_target_properties(PkgConfig::SODIUM PROPERTIES IMPORTED_LOCATION ${BC_SODIUM_A})
add_compile_options(-ffunction-sections -fdata-sections)
add_link_options(-static -Wl,--gc-sections)
