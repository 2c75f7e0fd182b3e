# The include rules of docs/ARCHITECTURE.md, checked on the sources (ctest:
# layout.IncludeRules). Run as: cmake -DROOT=<repository top> -P include_rules.cmake
#  1. Every #include "..." names a file by its path from the repository top.
#  2. A library includes only its own files and the layers below it:
#       corpus/base  <- corpus/text <- {corpus/read, corpus/clean}
#       corpus/*     <- indexer/format <- {indexer, query} <- bench
#     and bench reaches the indexer only through its job (indexer/index_job.hpp).
#     Within bench, peers/ and perf/ do not include each other's files the
#     wrong way: peers/ never includes perf/.
#  3. A private header, X_detail.hpp, is included only from its own folder.
#  4. No module (a .hpp and its .cpp, with its X_detail.hpp) includes, directly
#     or through others, a module that includes it back.
cmake_minimum_required(VERSION 3.25)
if(NOT ROOT)
  message(FATAL_ERROR "usage: cmake -DROOT=<repository top> -P include_rules.cmake")
endif()

# Allowed include prefixes per folder, most specific folder first.
set(folders corpus/base corpus/text corpus/read corpus/clean indexer/format indexer query bench/peers bench)
set(allow_corpus/base corpus/base/)
set(allow_corpus/text corpus/base/ corpus/text/)
set(allow_corpus/read corpus/base/ corpus/text/ corpus/read/)
set(allow_corpus/clean corpus/base/ corpus/text/ corpus/clean/)
set(allow_indexer/format corpus/ indexer/format/)
set(allow_indexer corpus/ indexer/)
set(allow_query corpus/ indexer/format/ query/)
set(allow_bench/peers corpus/ indexer/format/ indexer/index_job.hpp query/ bench/peers/ bench/latency.hpp
    bench/scratch_dir.hpp bench/bench_options.hpp bench/child_process.hpp)
set(allow_bench corpus/ indexer/format/ indexer/index_job.hpp query/ bench/)

set(violations "")
set(modules "")
file(GLOB_RECURSE sources RELATIVE ${ROOT} ${ROOT}/corpus/*.[ch]pp ${ROOT}/indexer/*.[ch]pp ${ROOT}/query/*.[ch]pp
     ${ROOT}/bench/*.[ch]pp)

function(module_of path out)
  string(REGEX REPLACE "\\.[ch]pp$" "" m "${path}")
  string(REGEX REPLACE "_detail$" "" m "${m}")
  set(${out} "${m}" PARENT_SCOPE)
endfunction()

foreach(src IN LISTS sources)
  get_filename_component(dir "${src}" DIRECTORY)
  set(folder "")
  foreach(f IN LISTS folders)
    if(dir STREQUAL f OR dir MATCHES "^${f}/")
      set(folder ${f})
      break()
    endif()
  endforeach()
  if(NOT folder)
    continue()
  endif()
  module_of("${src}" from)
  list(APPEND modules "${from}")
  file(STRINGS "${ROOT}/${src}" lines REGEX "^[ \t]*#[ \t]*include[ \t]+\"")
  foreach(line IN LISTS lines)
    string(REGEX REPLACE "^[ \t]*#[ \t]*include[ \t]+\"([^\"]+)\".*$" "\\1" inc "${line}")
    if(NOT EXISTS "${ROOT}/${inc}")
      list(APPEND violations "${src}: #include \"${inc}\" is not a path from the repository top")
      continue()
    endif()
    set(ok FALSE)
    foreach(prefix IN LISTS allow_${folder})
      string(FIND "${inc}" "${prefix}" at)
      if(at EQUAL 0)
        set(ok TRUE)
      endif()
    endforeach()
    if(NOT ok)
      list(APPEND violations "${src}: includes ${inc}, which ${folder}/ may not (docs/ARCHITECTURE.md, layers)")
    endif()
    get_filename_component(inc_dir "${inc}" DIRECTORY)
    if(inc MATCHES "_detail\\.hpp$" AND NOT inc_dir STREQUAL dir)
      list(APPEND violations "${src}: includes ${inc}, a private header of ${inc_dir}/")
    endif()
    module_of("${inc}" to)
    if(NOT to STREQUAL from)
      string(MAKE_C_IDENTIFIER "${from}" key)
      list(APPEND edges_${key} "${to}")
    endif()
  endforeach()
endforeach()

# Rule 4: a depth-first walk from each module; reaching it again is a cycle.
list(REMOVE_DUPLICATES modules)
foreach(start IN LISTS modules)
  string(MAKE_C_IDENTIFIER "${start}" key)
  set(seen "")
  set(stack ${edges_${key}})
  while(stack)
    list(POP_BACK stack m)
    if(m STREQUAL start)
      list(APPEND violations "${start}: includes a module that includes it back")
      break()
    endif()
    if(NOT m IN_LIST seen)
      list(APPEND seen "${m}")
      string(MAKE_C_IDENTIFIER "${m}" mkey)
      list(APPEND stack ${edges_${mkey}})
    endif()
  endwhile()
endforeach()

list(LENGTH sources n)
if(violations)
  list(JOIN violations "\n" text)
  message(FATAL_ERROR "include rules broken:\n${text}")
endif()
message(STATUS "include rules hold for ${n} files")
