# SPDX-License-Identifier: GPL-3.0-or-later
# Fails when any C++ source differs from .clang-format (clang-format --dry-run --Werror).
if(NOT CLANG_FORMAT)
  message(FATAL_ERROR "clang-format not found: run packaging/install-deps.sh")
endif()
file(GLOB_RECURSE sources
  ${SOURCE_DIR}/app/*.cpp ${SOURCE_DIR}/app/*.h
  ${SOURCE_DIR}/engine/*.cpp ${SOURCE_DIR}/engine/*.h
  ${SOURCE_DIR}/ui/*.cpp ${SOURCE_DIR}/ui/*.h
  ${SOURCE_DIR}/tests/*.cpp ${SOURCE_DIR}/tests/*.h
  ${SOURCE_DIR}/bench/*.cpp ${SOURCE_DIR}/tools/*.cpp ${SOURCE_DIR}/tools/*.h)
execute_process(COMMAND ${CLANG_FORMAT} --dry-run --Werror ${sources} RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "Formatting differs from .clang-format:\n${err}\nFix with: clang-format -i <files>")
endif()
list(LENGTH sources count)
message(STATUS "${count} files formatted correctly")
