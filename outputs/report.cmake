# rfsim_report: what people look at, made from results.h5 alone (report.h): the run's
# numbers for a report (indicators), district boundaries (boundaries), the GeoPackage
# (geopackage), the figures (figures), the assumptions (assumptions), the HTML briefing
# (briefing) and the report and comparison as a whole (report). The page templates and
# Leaflet are compiled in (embed.cmake -> assets.h). Included from outputs/CMakeLists.txt.
find_path(RFSIM_LEAFLET_DIR leaflet.min.js PATHS /usr/share/javascript/leaflet NO_DEFAULT_PATH
  REQUIRED DOC "Leaflet (Debian package libjs-leaflet)")
find_path(RFSIM_MUSTACHE_INCLUDE_DIR kainjow/mustache.hpp REQUIRED
  DOC "kainjow Mustache (Debian package libkainjow-mustache-dev)")
find_package(nlohmann_json 3 REQUIRED)

set(rfsim_asset_names briefing_template ensemble_template study_template briefing_css briefing_js
  leaflet_js leaflet_css)
set(rfsim_asset_files
  ${CMAKE_CURRENT_SOURCE_DIR}/templates/briefing.mustache
  ${CMAKE_CURRENT_SOURCE_DIR}/templates/ensemble.mustache
  ${CMAKE_CURRENT_SOURCE_DIR}/templates/study.mustache
  ${CMAKE_CURRENT_SOURCE_DIR}/templates/briefing.css
  ${CMAKE_CURRENT_SOURCE_DIR}/templates/briefing.js
  ${RFSIM_LEAFLET_DIR}/leaflet.min.js
  ${RFSIM_LEAFLET_DIR}/leaflet.css)
string(REPLACE ";" "|" rfsim_asset_names_arg "${rfsim_asset_names}")
string(REPLACE ";" "|" rfsim_asset_files_arg "${rfsim_asset_files}")
add_custom_command(
  OUTPUT ${CMAKE_CURRENT_BINARY_DIR}/assets.cpp
  COMMAND ${CMAKE_COMMAND} -DOUT=${CMAKE_CURRENT_BINARY_DIR}/assets.cpp
          -DNAMES=${rfsim_asset_names_arg} -DFILES=${rfsim_asset_files_arg}
          -P ${CMAKE_CURRENT_SOURCE_DIR}/embed.cmake
  DEPENDS ${rfsim_asset_files} ${CMAKE_CURRENT_SOURCE_DIR}/embed.cmake
  COMMENT "Compiling the briefing templates and Leaflet into rfsim"
  VERBATIM)

add_library(rfsim_report
  indicators.cpp ensemble_view.cpp study_view.cpp boundaries.cpp geopackage.cpp figures.cpp assumptions.cpp briefing.cpp
  report.cpp ${CMAKE_CURRENT_BINARY_DIR}/assets.cpp)
target_include_directories(rfsim_report PUBLIC ${PROJECT_SOURCE_DIR})
target_include_directories(rfsim_report PRIVATE ${RFSIM_MUSTACHE_INCLUDE_DIR})
target_link_libraries(rfsim_report PUBLIC rfsim_outputs rfsim_drawing
  PRIVATE nlohmann_json::nlohmann_json)
rfsim_precompile_headers(rfsim_report ${RFSIM_ENGINE_HEADERS} <hdf5.h>)
