// District boundaries from results.h5 (see boundaries.h), with OGR/GEOS.
#include "outputs/boundaries.h"

#include <ogr_geometry.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

#include "geo/polygon_layer.h"
#include "outputs/error.h"

namespace rfsim::outputs {
namespace {

/// Gaps between neighbouring simplified districts reach ~170 m (geo/README.md): unions
/// grow each district by this much and shrink the result back, so no slivers remain.
constexpr double kGapClosingM = 250;

std::vector<Ring> rings_of(const OGRGeometry& geometry) {
  std::vector<Ring> rings;
  auto add_polygon = [&](const OGRPolygon& polygon) {
    for (const OGRLinearRing* ring : polygon) {
      Ring points;
      points.reserve(ring->getNumPoints());
      for (const OGRPoint& p : *ring) points.push_back({p.getX(), p.getY()});
      rings.push_back(std::move(points));
    }
  };
  const auto type = wkbFlatten(geometry.getGeometryType());
  if (type == wkbPolygon) add_polygon(*geometry.toPolygon());
  if (type == wkbMultiPolygon)
    for (const OGRPolygon* polygon : *geometry.toMultiPolygon()) add_polygon(*polygon);
  return rings;
}

void append_number(std::string& out, double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.5f", v);
  out += text;
}

}  // namespace

Boundaries::Boundaries(const Results& results) {
  for (std::size_t i = 0; i < results.districts.size(); ++i) {
    const std::string& wkb = results.districts[i].boundary_wkb;
    if (wkb.empty())
      throw OutputError(results.path.string() +
                        ": holds no district boundaries (written before results schema 2.4); "
                        "rerun the scenario to draw maps");
    OGRGeometry* geometry = nullptr;
    if (OGRGeometryFactory::createFromWkb(wkb.data(), nullptr, &geometry, wkb.size()) !=
            OGRERR_NONE ||
        geometry == nullptr)
      throw OutputError(results.path.string() + ": the boundary of district " +
                        results.districts[i].name + " does not decode as WKB");
    std::unique_ptr<OGRGeometry> owned(geometry);
    if (wkbFlatten(owned->getGeometryType()) != wkbMultiPolygon)
      owned.reset(OGRGeometryFactory::forceToMultiPolygon(owned.release()));
    districts_.emplace_back(owned.release()->toMultiPolygon());
  }
}

Boundaries::~Boundaries() = default;

const std::vector<Ring>& Boundaries::rings(int i) const {
  auto found = rings_.find(i);
  if (found != rings_.end()) return found->second;
  std::unique_ptr<OGRGeometry> simple(district(i).SimplifyPreserveTopology(kDrawingToleranceM));
  const OGRGeometry& drawn = simple ? *simple : static_cast<const OGRGeometry&>(district(i));
  return rings_.emplace(i, rings_of(drawn)).first->second;
}

const std::vector<Ring>& Boundaries::outline(const std::vector<int>& districts) const {
  auto found = outlines_.find(districts);
  if (found != outlines_.end()) return found->second;
  OGRMultiPolygon grown;
  for (int i : districts) {
    std::unique_ptr<OGRGeometry> simple(district(i).SimplifyPreserveTopology(kDrawingToleranceM));
    const OGRGeometry& source = simple ? *simple : static_cast<const OGRGeometry&>(district(i));
    std::unique_ptr<OGRGeometry> buffered(source.Buffer(kGapClosingM, 2));
    if (!buffered) continue;
    if (wkbFlatten(buffered->getGeometryType()) == wkbPolygon) {
      grown.addGeometry(buffered.get());
    } else if (wkbFlatten(buffered->getGeometryType()) == wkbMultiPolygon) {
      for (const OGRPolygon* p : *buffered->toMultiPolygon()) grown.addGeometry(p);
    }
  }
  std::vector<Ring> rings;
  std::unique_ptr<OGRGeometry> united(grown.UnionCascaded());
  if (united) {
    std::unique_ptr<OGRGeometry> shrunk(united->Buffer(-kGapClosingM, 2));
    if (shrunk) {
      std::unique_ptr<OGRGeometry> simple(shrunk->SimplifyPreserveTopology(kDrawingToleranceM));
      rings = rings_of(simple ? *simple : *shrunk);
    }
  }
  return outlines_.emplace(districts, std::move(rings)).first->second;
}

std::vector<MapOutline> Boundaries::province_outlines(const Results& results,
                                                      std::span<const int> districts) const {
  std::set<std::string> provinces;
  for (int i : districts) provinces.insert(results.districts.at(i).province);
  std::vector<MapOutline> out;
  for (const std::string& province : provinces) {
    std::vector<int> members;
    for (int i = 0; i < size(); ++i)
      if (results.districts[i].province == province) members.push_back(i);
    out.push_back({outline(members)});
  }
  return out;
}

std::vector<int> Boundaries::neighbours(std::span<const int> districts, double margin_m) const {
  OGREnvelope box;
  for (int i : districts) {
    OGREnvelope e;
    district(i).getEnvelope(&e);
    box.Merge(e);
  }
  box.MinX -= margin_m, box.MinY -= margin_m, box.MaxX += margin_m, box.MaxY += margin_m;
  const std::set<int> own(districts.begin(), districts.end());
  std::vector<int> out;
  for (int i = 0; i < size(); ++i) {
    if (own.contains(i)) continue;
    OGREnvelope e;
    district(i).getEnvelope(&e);
    if (e.Intersects(box)) out.push_back(i);
  }
  return out;
}

std::vector<std::vector<Ring>> Boundaries::context_rings(std::span<const int> districts,
                                                         double margin_m) const {
  OGREnvelope box;
  for (int i : districts) {
    OGREnvelope e;
    district(i).getEnvelope(&e);
    box.Merge(e);
  }
  OGRLinearRing frame;
  frame.addPoint(box.MinX - margin_m, box.MinY - margin_m);
  frame.addPoint(box.MaxX + margin_m, box.MinY - margin_m);
  frame.addPoint(box.MaxX + margin_m, box.MaxY + margin_m);
  frame.addPoint(box.MinX - margin_m, box.MaxY + margin_m);
  frame.closeRings();
  OGRPolygon clip;
  clip.addRing(&frame);
  std::vector<std::vector<Ring>> out;
  for (int i : neighbours(districts, margin_m)) {
    std::unique_ptr<OGRGeometry> simple(district(i).SimplifyPreserveTopology(kDrawingToleranceM));
    std::unique_ptr<OGRGeometry> cut(simple ? simple->Intersection(&clip) : nullptr);
    if (cut && !cut->IsEmpty()) out.push_back(rings_of(*cut));
  }
  return out;
}

std::string Boundaries::geojson_wgs84(int i, double tolerance_m) const {
  std::unique_ptr<OGRGeometry> simple(district(i).SimplifyPreserveTopology(tolerance_m));
  if (!simple) simple.reset(district(i).clone());
  thread_local const auto to_wgs84 = geo::transformation_to_wgs84(geo::kUtmZone48NEpsg);
  if (simple->transform(to_wgs84.get()) != OGRERR_NONE)
    throw OutputError("cannot reproject a district boundary to WGS84");
  std::string out = "{\"type\":\"MultiPolygon\",\"coordinates\":[";
  auto add_polygon = [&](const OGRPolygon& polygon, bool first_polygon) {
    out += first_polygon ? "[" : ",[";
    bool first_ring = true;
    for (const OGRLinearRing* ring : polygon) {
      out += first_ring ? "[" : ",[";
      first_ring = false;
      bool first_point = true;
      for (const OGRPoint& p : *ring) {
        out += first_point ? "[" : ",[";
        first_point = false;
        append_number(out, p.getX());
        out += ',';
        append_number(out, p.getY());
        out += ']';
      }
      out += ']';
    }
    out += ']';
  };
  const auto type = wkbFlatten(simple->getGeometryType());
  if (type == wkbPolygon) add_polygon(*simple->toPolygon(), true);
  if (type == wkbMultiPolygon) {
    bool first = true;
    for (const OGRPolygon* polygon : *simple->toMultiPolygon()) {
      add_polygon(*polygon, first);
      first = false;
    }
  }
  out += "]}";
  return out;
}

}  // namespace rfsim::outputs
