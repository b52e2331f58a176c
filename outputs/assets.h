// The files a briefing is made of that are not C++, compiled into rfsim (outputs/embed.cmake)
// so that writing a briefing needs nothing at run time: the page templates, style and
// script (outputs/templates/) and Leaflet's script and style (Debian's libjs-leaflet).
#pragma once

#include <string_view>

namespace rfsim::outputs::assets {

extern const std::string_view briefing_template;  ///< templates/briefing.mustache
extern const std::string_view ensemble_template;  ///< templates/ensemble.mustache
extern const std::string_view study_template;     ///< templates/study.mustache
extern const std::string_view briefing_css;       ///< templates/briefing.css
extern const std::string_view briefing_js;        ///< templates/briefing.js
extern const std::string_view leaflet_js;         ///< leaflet.min.js
extern const std::string_view leaflet_css;        ///< leaflet.css

}  // namespace rfsim::outputs::assets
