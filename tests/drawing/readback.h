// Reads the drawing unit's output back for the tests: PNG through Cairo, SVG through
// libxml2 (a real XML parser), PDF through poppler's pdftoppm and pdftotext.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "outputs/drawing.h"

namespace rfsim::readback {

/// A decoded PNG: 8-bit channels, pixels row by row.
struct Image {
  int width = 0, height = 0;
  std::vector<std::uint32_t> pixels;  ///< 0xRRGGBB
  /// Pixels of `colour`, give or take one 8-bit step per channel (Cairo's rounding).
  std::size_t count(const outputs::Colour& colour) const;
};

/// Decodes `path` with cairo_image_surface_create_from_png; fails the test if it cannot.
Image read_png(const std::filesystem::path& path);

/// What the tests check in an SVG document.
struct Svg {
  std::map<std::string, int> elements;  ///< element name -> count
  std::set<std::string> ids;
  std::vector<std::string> references;  ///< targets of href="#..." and url(#...)
  std::string title;                    ///< text of the root's <title>, if any
  std::string view_box;
};

/// Parses `text` as XML; fails the test if it is not well-formed.
Svg parse_svg(const std::string& text);

/// Renders the first page of `pdf` with pdftoppm at `dpi` and decodes it.
Image render_pdf_page(const std::filesystem::path& pdf, int dpi);

/// The text of `pdf`, extracted by pdftotext.
std::string pdf_text(const std::filesystem::path& pdf);

/// A fresh empty folder under the system temporary folder, removed at destruction.
struct TempDir {
  std::filesystem::path path;
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
};

}  // namespace rfsim::readback
