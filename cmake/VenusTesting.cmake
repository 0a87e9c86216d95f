# venus_add_test(<name> SOURCES … [LIBS …] [LABELS unit|integration|interop|slow])
# Builds one Catch2 v2 executable and registers each TEST_CASE with CTest.
include(Catch)
function(venus_add_test name)
  cmake_parse_arguments(T "" "" "SOURCES;LIBS;LABELS" ${ARGN})
  # catch_discover_tests splits names on ';', and the halves match no test and "pass": refuse them.
  foreach(src ${T_SOURCES})
    cmake_path(ABSOLUTE_PATH src BASE_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR})
    file(STRINGS ${src} bad REGEX "TEST_CASE\\(\"[^\"]*;")
    if(bad)
      message(FATAL_ERROR "${src}: a TEST_CASE name contains ';' (ctest would split it): ${bad}")
    endif()
  endforeach()
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE venus_catch_main venus_test_support ${T_LIBS} venus_warnings)
  if(NOT T_LABELS)
    set(T_LABELS unit)
  endif()
  catch_discover_tests(${name}
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
    PROPERTIES LABELS "${T_LABELS}"
    DISCOVERY_TIMEOUT 60)
endfunction()
