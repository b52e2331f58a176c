# rfsim_drawing: the maps and charts of the briefings, drawn with Cairo and Pango to PNG,
# SVG and PDF (drawing.h, map_drawing.h, chart_drawing.h). Independent of HDF5 and the
# simulation; included from outputs/CMakeLists.txt.
find_package(PkgConfig REQUIRED)
pkg_check_modules(RFSIM_CAIRO REQUIRED IMPORTED_TARGET cairo cairo-svg cairo-pdf pangocairo fontconfig libpng)
add_library(rfsim_drawing drawing.cpp map_drawing.cpp chart_drawing.cpp)
target_include_directories(rfsim_drawing PUBLIC ${PROJECT_SOURCE_DIR})
target_link_libraries(rfsim_drawing PUBLIC PkgConfig::RFSIM_CAIRO)
