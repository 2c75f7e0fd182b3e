# Every C++ source is laid out by the repository's .clang-format (ctest:
# layout.Formatted). Run as:
#   cmake -DROOT=<repository top> -DCLANG_FORMAT=<clang-format> -P format_check.cmake
# To fix: clang-format -i on the files it names.
cmake_minimum_required(VERSION 3.25)
file(GLOB_RECURSE sources ${ROOT}/corpus/*.[ch]pp ${ROOT}/indexer/*.[ch]pp ${ROOT}/query/*.[ch]pp
     ${ROOT}/bench/*.[ch]pp ${ROOT}/tests/*.[ch]pp)
list(FILTER sources EXCLUDE REGEX "/tests/fixtures/|/tests/fuzz/corpus/")
execute_process(COMMAND ${CLANG_FORMAT} --dry-run --Werror --style=file ${sources}
                RESULT_VARIABLE rc ERROR_VARIABLE out)
if(NOT rc EQUAL 0)
  string(REGEX MATCHALL "[^\n]*: error: code should be clang-formatted[^\n]*" lines "${out}")
  list(JOIN lines "\n" text)
  message(FATAL_ERROR "not laid out by .clang-format (run clang-format -i on them):\n${text}")
endif()
list(LENGTH sources n)
message(STATUS "${n} files laid out by .clang-format")
