# Runs one bad-input case of tests/bad-inputs/ (see tests/bad-inputs/README.md) and checks
# that rfsim refuses it cleanly: the expected non-zero exit code, exactly one error line on
# stderr containing every fragment of the case's `expect` file, and nothing left behind in
# the case's scratch directory (no results directory, no *.tmp-* directory).
#
#   cmake -DRFSIM=<rfsim binary> -DCASE=<case folder> -DWORK=<scratch dir> -P run_bad_input.cmake
#
# RFSIM_DATA (the real data folder) comes from the environment; scenarios that need the
# real boundaries rely on it instead of naming a path.
cmake_policy(VERSION 3.22)
foreach(var RFSIM CASE WORK)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "run_bad_input.cmake: -D${var}=... is required")
  endif()
endforeach()
get_filename_component(name "${CASE}" NAME)
set(tmp "${WORK}")
set(out "${tmp}/out")

# Placeholders usable in args, setup and expect: {case} {scenario} {tmp} {out} {data}.
function(expand text result)
  string(REPLACE "<semicolon>" ";" text "${text}")
  string(REPLACE "{case}" "${CASE}" text "${text}")
  string(REPLACE "{scenario}" "${CASE}/scenario.toml" text "${text}")
  string(REPLACE "{tmp}" "${tmp}" text "${text}")
  string(REPLACE "{out}" "${out}" text "${text}")
  string(REPLACE "{data}" "$ENV{RFSIM_DATA}" text "${text}")
  set(${result} "${text}" PARENT_SCOPE)
endfunction()

# The expected outcome: first line the exit code, then one message fragment per line.
if(NOT EXISTS "${CASE}/expect")
  message(FATAL_ERROR "${name}: no expect file")
endif()
# Lines are read whole: a ";" (a CMake list separator) is held as <semicolon> until
# expand() puts it back, so a fragment like "unknown key; did you mean" stays one piece.
function(read_lines path result)
  file(READ "${path}" text)
  string(REPLACE ";" "<semicolon>" text "${text}")
  string(REPLACE "\n" ";" lines "${text}")
  list(FILTER lines EXCLUDE REGEX "^[ \t\r]*$")
  set(${result} "${lines}" PARENT_SCOPE)
endfunction()
read_lines("${CASE}/expect" expect_lines)
list(POP_FRONT expect_lines expected_exit)
if(NOT expected_exit MATCHES "^[1-9][0-9]*$")
  message(FATAL_ERROR "${name}: expect must start with a non-zero exit code (got '${expected_exit}')")
endif()
if(NOT expect_lines)
  message(FATAL_ERROR "${name}: expect names no message fragment")
endif()

# A fresh scratch directory, then the case's setup: "file P", "dir P" or "readonly P".
if(EXISTS "${tmp}")
  file(CHMOD_RECURSE "${tmp}" DIRECTORY_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE
    FILE_PERMISSIONS OWNER_READ OWNER_WRITE)
  file(REMOVE_RECURSE "${tmp}")
endif()
file(MAKE_DIRECTORY "${tmp}")
if(EXISTS "${CASE}/setup")
  read_lines("${CASE}/setup" setup_lines)
  foreach(line IN LISTS setup_lines)
    expand("${line}" line)
    if(line MATCHES "^file (.+)$")
      file(WRITE "${CMAKE_MATCH_1}" "not a directory\n")
    elseif(line MATCHES "^dir (.+)$")
      file(MAKE_DIRECTORY "${CMAKE_MATCH_1}")
    elseif(line MATCHES "^readonly (.+)$")
      execute_process(COMMAND id -u OUTPUT_VARIABLE uid OUTPUT_STRIP_TRAILING_WHITESPACE)
      if(uid STREQUAL "0")
        message("SKIP: ${name}: root may write into read-only directories")
        return()
      endif()
      file(MAKE_DIRECTORY "${CMAKE_MATCH_1}")
      file(CHMOD "${CMAKE_MATCH_1}" DIRECTORY_PERMISSIONS OWNER_READ OWNER_EXECUTE)
    elseif(NOT line MATCHES "^[ \t]*(#.*)?$")
      message(FATAL_ERROR "${name}: setup line not understood: ${line}")
    endif()
  endforeach()
endif()
file(GLOB_RECURSE before LIST_DIRECTORIES true "${tmp}/*")

# The command line: one argument per line of `args`, else "run SCENARIO -o OUT".
if(EXISTS "${CASE}/args")
  read_lines("${CASE}/args" arg_lines)
  set(cmd "${RFSIM}")
  foreach(line IN LISTS arg_lines)
    expand("${line}" line)
    list(APPEND cmd "${line}")
  endforeach()
else()
  set(cmd "${RFSIM}" run "${CASE}/scenario.toml" -o "${out}")
endif()

execute_process(COMMAND ${cmd} RESULT_VARIABLE code OUTPUT_VARIABLE stdout ERROR_VARIABLE stderr
  TIMEOUT 120)
string(REPLACE ";" "|" shown "${cmd}")
message("case: ${name}\ncommand: ${shown}\nexit: ${code}\n--- stdout\n${stdout}--- stderr\n${stderr}---")

set(failures "")
if(NOT code STREQUAL expected_exit)
  string(APPEND failures "exit code '${code}', expected ${expected_exit}\n")
endif()

# Exactly one message: one line "rfsim: error: ...". The informational "rfsim: running"
# line (printed before the output directory is written) is allowed.
string(REPLACE ";" "<semicolon>" stderr_escaped "${stderr}")
string(REPLACE "\n" ";" stderr_lines "${stderr_escaped}")
list(FILTER stderr_lines EXCLUDE REGEX "^[ \t\r]*$")
list(FILTER stderr_lines EXCLUDE REGEX "^rfsim: running ")
list(LENGTH stderr_lines message_count)
if(NOT message_count EQUAL 1)
  string(APPEND failures "expected exactly one message line on stderr, got ${message_count}\n")
elseif(NOT stderr MATCHES "(^|\n)rfsim: error: ")
  string(APPEND failures "the message does not start with 'rfsim: error: '\n")
endif()
foreach(fragment IN LISTS expect_lines)
  expand("${fragment}" fragment)
  string(FIND "${stderr}" "${fragment}" at)
  if(at EQUAL -1)
    string(APPEND failures "stderr lacks: ${fragment}\n")
  endif()
endforeach()

# Nothing written: the scratch directory holds exactly what setup put there.
file(GLOB_RECURSE after LIST_DIRECTORIES true "${tmp}/*")
if(NOT after STREQUAL before)
  if(before)
    list(REMOVE_ITEM after ${before})
  endif()
  string(APPEND failures "left behind: ${after}\n")
endif()
file(GLOB leftovers "${out}.tmp-*")
if(leftovers)
  string(APPEND failures "temporary directories left behind: ${leftovers}\n")
endif()

# `validate` does every check `run` does before simulating: a scenario `run` refuses (the
# default command line) is refused by `validate` with the same message.
if(NOT EXISTS "${CASE}/args" AND NOT EXISTS "${CASE}/run-only")
  execute_process(COMMAND "${RFSIM}" validate "${CASE}/scenario.toml" RESULT_VARIABLE vcode
    OUTPUT_VARIABLE vout ERROR_VARIABLE verr TIMEOUT 120)
  if(vcode EQUAL 0)
    string(APPEND failures "rfsim validate accepts what rfsim run refuses\n")
  endif()
  string(STRIP "${stderr}" run_message)
  string(STRIP "${verr}" validate_message)
  if(NOT validate_message STREQUAL run_message)
    string(APPEND failures "rfsim validate says '${validate_message}', rfsim run '${run_message}'\n")
  endif()
endif()

if(failures)
  message(FATAL_ERROR "${name}:\n${failures}")
endif()
message("ok: ${name} refused cleanly, by run and by validate")
