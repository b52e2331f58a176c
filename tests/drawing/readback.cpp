#include "readback.h"

#include <cairo.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <memory>

namespace rfsim::readback {

std::size_t Image::count(const outputs::Colour& colour) const {
  const auto near = [](std::uint32_t pixel, int shift, double wanted) {
    return std::abs(static_cast<int>(pixel >> shift & 0xff) - wanted * 255) <= 1;
  };
  return static_cast<std::size_t>(std::count_if(pixels.begin(), pixels.end(), [&](std::uint32_t p) {
    return near(p, 16, colour.r) && near(p, 8, colour.g) && near(p, 0, colour.b);
  }));
}

Image read_png(const std::filesystem::path& path) {
  cairo_surface_t* surface = cairo_image_surface_create_from_png(path.c_str());
  const cairo_status_t status = cairo_surface_status(surface);
  if (status != CAIRO_STATUS_SUCCESS) {
    cairo_surface_destroy(surface);
    FAIL("cannot decode " << path << ": " << cairo_status_to_string(status));
  }
  Image image;
  image.width = cairo_image_surface_get_width(surface);
  image.height = cairo_image_surface_get_height(surface);
  const int stride = cairo_image_surface_get_stride(surface);
  const unsigned char* data = cairo_image_surface_get_data(surface);
  for (int y = 0; y < image.height; ++y) {
    const auto* row = reinterpret_cast<const std::uint32_t*>(data + y * stride);
    for (int x = 0; x < image.width; ++x) image.pixels.push_back(row[x] & 0xffffff);
  }
  cairo_surface_destroy(surface);
  return image;
}

namespace {

void collect(xmlNode* node, Svg& svg) {
  for (; node; node = node->next) {
    if (node->type != XML_ELEMENT_NODE) continue;
    const std::string name = reinterpret_cast<const char*>(node->name);
    ++svg.elements[name];
    for (xmlAttr* a = node->properties; a; a = a->next) {
      xmlChar* value = xmlNodeListGetString(node->doc, a->children, 1);
      const std::string v = value ? reinterpret_cast<const char*>(value) : "";
      xmlFree(value);
      const std::string attribute = reinterpret_cast<const char*>(a->name);
      if (attribute == "id") svg.ids.insert(v);
      if (attribute == "href" && v.starts_with("#")) svg.references.push_back(v.substr(1));
      for (std::size_t at = v.find("url(#"); at != std::string::npos;
           at = v.find("url(#", at + 1)) {
        svg.references.push_back(v.substr(at + 5, v.find(')', at) - at - 5));
      }
      if (name == "svg" && attribute == "viewBox") svg.view_box = v;
    }
    if (name == "title" && node->parent && xmlStrEqual(node->parent->name, BAD_CAST "svg")) {
      xmlChar* text = xmlNodeGetContent(node);
      svg.title = reinterpret_cast<const char*>(text);
      xmlFree(text);
    }
    collect(node->children, svg);
  }
}

}  // namespace

Svg parse_svg(const std::string& text) {
  std::unique_ptr<xmlDoc, decltype(&xmlFreeDoc)> doc(
      xmlReadMemory(text.data(), static_cast<int>(text.size()), "drawing.svg", nullptr,
                    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_HUGE),
      xmlFreeDoc);
  if (!doc) FAIL("not well-formed XML: " << text.substr(0, 200));
  Svg svg;
  collect(xmlDocGetRootElement(doc.get()), svg);
  return svg;
}

namespace {

// Runs `command` through the shell; returns its standard output, fails the test on a
// non-zero exit status.
std::string run(const std::string& command) {
  std::unique_ptr<FILE, decltype(&pclose)> pipe(popen(command.c_str(), "r"), pclose);
  REQUIRE(pipe);
  std::string output;
  char buffer[4096];
  while (const std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe.get()))
    output.append(buffer, n);
  const int status = pclose(pipe.release());
  INFO(command << "\n" << output);
  REQUIRE(status == 0);
  return output;
}

std::string quoted(const std::filesystem::path& path) {
  return std::string("'").append(path.string()).append("'");
}

}  // namespace

Image render_pdf_page(const std::filesystem::path& pdf, int dpi) {
  const std::filesystem::path stem = pdf.string() + "-page";
  run(std::string(RFSIM_PDFTOPPM) + " -png -singlefile -r " + std::to_string(dpi) + " " +
      quoted(pdf) + " " + quoted(stem));
  Image page = read_png(stem.string() + ".png");
  std::filesystem::remove(stem.string() + ".png");
  return page;
}

std::string pdf_text(const std::filesystem::path& pdf) {
  return run(std::string(RFSIM_PDFTOTEXT) + " " + quoted(pdf) + " -");
}

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "rfsim-drawing-XXXXXX").string();
  REQUIRE(mkdtemp(pattern.data()) != nullptr);
  path = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path, ignored);
}

}  // namespace rfsim::readback
