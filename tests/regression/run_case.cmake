cmake_minimum_required(VERSION 3.22)
# One golden regression case: runs `rfsim run` with ARGS ("|"-separated) into WORK (no
# briefing: the fingerprint is results.h5's), takes the fingerprint of its results.h5 with
# GOLDEN_TOOL and compares it line by line with GOLDEN. On a difference it prints the lines
# that changed and how to update the golden files when the change is intended.
string(REPLACE "|" ";" ARGS "${ARGS}")
file(REMOVE_RECURSE "${WORK}")
execute_process(COMMAND ${RFSIM} run ${ARGS} -o ${WORK} --quiet --no-report
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "rfsim run ${ARGS} failed (exit ${rc}):\n${err}")
endif()
execute_process(COMMAND ${GOLDEN_TOOL} ${WORK}/results.h5
  RESULT_VARIABLE rc OUTPUT_VARIABLE actual ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "rfsim_golden failed: ${err}")
endif()
if(NOT EXISTS "${GOLDEN}")
  message(FATAL_ERROR "no golden file ${GOLDEN}: run scripts/update-golden")
endif()
file(READ "${GOLDEN}" expected)
if(NOT actual STREQUAL expected)
  file(WRITE "${WORK}/actual.txt" "${actual}")
  string(REPLACE "\n" ";" exp_lines "${expected}")
  string(REPLACE "\n" ";" act_lines "${actual}")
  set(report "")
  foreach(l IN LISTS exp_lines)
    if(l AND NOT l IN_LIST act_lines)
      string(APPEND report "  golden: ${l}\n")
    endif()
  endforeach()
  foreach(l IN LISTS act_lines)
    if(l AND NOT l IN_LIST exp_lines)
      string(APPEND report "  now:    ${l}\n")
    endif()
  endforeach()
  message(FATAL_ERROR "case ${CASE}: results differ from ${GOLDEN}:\n${report}"
    "If the change is intended, run scripts/update-golden and add a line to CHANGELOG.md "
    "saying what changed and why.")
endif()
message(STATUS "case ${CASE}: results identical to the golden file")
file(REMOVE_RECURSE "${WORK}")
