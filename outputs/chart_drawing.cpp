#include "outputs/chart_drawing.h"

#include <cairo.h>

#include <algorithm>
#include <cmath>

namespace rfsim::outputs {
namespace {

const Font kTickFont{6.8};
const Font kLegendFont{style::text_size};
const Font kUnitsFont{style::text_size};
const Font kPanelTitleFont{7, true};
const Colour kAxis = Colour::hex("#555555");
const Colour kCapacity = Colour::hex("#333333");
constexpr double kLineWidth = 1.6;

// Maps days and values to canvas points inside `box`.
struct Frame {
  Box box;
  double x0, x1;  // days (or values, for bars)
  double y0, y1;  // values
  double x(double v) const { return box.x0 + (v - x0) / (x1 - x0) * box.width(); }
  double y(double v) const { return box.y1 - (v - y0) / (y1 - y0) * box.height(); }
};

struct Tick {
  double at;
  std::string label;
};

std::string plot_name(const std::string& what) {
  return "chart '" + what + "'";
}

std::size_t point_count(const Plot& plot) {
  std::size_t n = 0;
  for (const auto& s : plot.areas) n = std::max(n, s.values.size());
  for (const auto& s : plot.lines) n = std::max(n, s.values.size());
  for (const auto& b : plot.bands) n = std::max(n, b.lower.size());
  return n;
}

void validate(const Plot& plot, const std::string& what) {
  if (point_count(plot) == 0) throw DrawingError(plot_name(what) + ": no values to draw");
  for (const Band& band : plot.bands) {
    if (band.lower.size() != band.upper.size()) {
      throw DrawingError(plot_name(what) + ": band '" + band.name + "' has " +
                         std::to_string(band.lower.size()) + " lower and " +
                         std::to_string(band.upper.size()) + " upper values");
    }
  }
  if (plot.capacity) {
    const Capacity& c = *plot.capacity;
    if (c.load >= plot.lines.size()) {
      throw DrawingError(plot_name(what) + ": capacity '" + c.name + "' compares with line " +
                         std::to_string(c.load) + " of " + std::to_string(plot.lines.size()));
    }
    const std::size_t n = plot.lines[c.load].values.size();
    if (c.values.size() != 1 && c.values.size() != n) {
      throw DrawingError(plot_name(what) + ": capacity '" + c.name + "' has " +
                         std::to_string(c.values.size()) + " values; expected 1 or " +
                         std::to_string(n));
    }
  }
}

double capacity_at(const Capacity& c, std::size_t i) {
  return c.values.size() == 1 ? c.values[0] : c.values[i];
}

Colour area_colour(const Plot& plot, std::size_t i) {
  return plot.areas[i].colour.value_or(category_colour(i));
}
Colour line_colour(const Plot& plot, std::size_t i) {
  return plot.lines[i].colour.value_or(category_colour(plot.areas.size() + i));
}

// Smallest and largest value drawn (0 always included: counts start at zero).
std::pair<double, double> value_range(const Plot& plot) {
  double lo = 0, hi = 0;
  const auto add = [&](double v) {
    if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
  };
  std::vector<double> stack;
  for (const Series& s : plot.areas) {
    stack.resize(std::max(stack.size(), s.values.size()), 0.0);
    for (std::size_t i = 0; i < s.values.size(); ++i) {
      if (std::isfinite(s.values[i])) stack[i] += s.values[i];
    }
  }
  for (double v : stack) add(v);
  for (const Band& b : plot.bands) {
    for (double v : b.lower) add(v);
    for (double v : b.upper) add(v);
  }
  for (const Series& s : plot.lines) {
    for (double v : s.values) add(v);
  }
  if (plot.capacity) {
    for (double v : plot.capacity->values) add(v);
  }
  return {lo, hi};
}

std::vector<LegendEntry> legend_entries(const Plot& plot) {
  std::vector<LegendEntry> entries;
  for (std::size_t i = plot.areas.size(); i-- > 0;) {  // top of the stack first
    entries.push_back({LegendEntry::Swatch::fill, area_colour(plot, i), plot.areas[i].name});
  }
  const Colour band_colour = plot.lines.empty() ? category_colour(0) : line_colour(plot, 0);
  for (std::size_t i = 0; i < plot.bands.size(); ++i) {
    const double alpha = 0.18 + 0.22 * i / std::max<double>(1, plot.bands.size() - 1);
    entries.push_back(
        {LegendEntry::Swatch::fill, band_colour.with_alpha(alpha), plot.bands[i].name});
  }
  for (std::size_t i = 0; i < plot.lines.size(); ++i) {
    entries.push_back(
        {plot.lines[i].dashed ? LegendEntry::Swatch::dashed_line : LegendEntry::Swatch::line,
         line_colour(plot, i), plot.lines[i].name});
  }
  if (plot.capacity) {
    entries.push_back({LegendEntry::Swatch::line, kCapacity, plot.capacity->name});
    entries.push_back(
        {LegendEntry::Swatch::fill, style::over.with_alpha(0.45), plot.capacity->over_name});
  }
  std::erase_if(entries, [](const LegendEntry& e) { return e.text.empty(); });
  return entries;
}

// Lays the legend entries out left to right, wrapping within `width`, from `top_left`;
// draws them when `draw` and returns the height used.
double flow_legend(Canvas& canvas, const std::vector<LegendEntry>& entries, Point top_left,
                   double width, bool draw) {
  if (entries.empty()) return 0;
  double x = top_left.x, y = top_left.y;
  const double line_height = std::max(kSwatch.height, canvas.measure("Ag", kLegendFont).height) + 3;
  for (const LegendEntry& entry : entries) {
    const double item = kSwatch.width + 4 + canvas.measure(entry.text, kLegendFont).width;
    if (x > top_left.x && x + item > top_left.x + width) {
      x = top_left.x;
      y += line_height;
    }
    if (draw) {
      const double mid = y + line_height / 2;
      draw_swatch(canvas, entry,
                  {x, mid - kSwatch.height / 2, x + kSwatch.width, mid + kSwatch.height / 2});
      canvas.text(entry.text, {x + kSwatch.width + 4, mid}, kLegendFont, style::ink, Align::left,
                  VAlign::middle);
    }
    x += item + 12;
  }
  return y + line_height - top_left.y;
}

// Date ticks between days d0 and d1 whose labels fit `width` points: every 1, 2, 7 or 14
// days from the start date, else on the first of every 1, 2, 3, 6 or 12 months. Labels
// carry the year on the first tick and where the year changes, if they fit with it.
std::vector<Tick> date_ticks(const Canvas& canvas, const TimeAxis& time, double d0, double d1,
                             double width) {
  using namespace std::chrono;
  const auto date_of = [&](double day) {
    return time.start + days(static_cast<int>(std::lround(day)));
  };
  const auto with_years = [&](std::vector<Tick> ticks) {  // year on the first tick and at changes
    int previous_year = -1;
    for (Tick& t : ticks) {
      const int y = static_cast<int>(year_month_day(date_of(t.at)).year());
      if (y != previous_year) t.label.append(" ").append(std::to_string(y));
      previous_year = y;
    }
    return ticks;
  };
  const auto fits = [&](const std::vector<Tick>& ticks) {
    double previous_right = -INFINITY;
    for (const Tick& t : ticks) {
      const double x = (t.at - d0) / (d1 - d0) * width;
      const double w = canvas.measure(t.label, kTickFont).width;
      if (x - w / 2 < previous_right + 8) return false;
      previous_right = x + w / 2;
    }
    return true;
  };
  // Candidate tick sets, finest first.
  std::vector<std::vector<Tick>> candidates;
  for (int step : {1, 2, 7, 14}) {
    std::vector<Tick>& ticks = candidates.emplace_back();
    for (double day = std::ceil(d0 / step - 1e-9) * step; day <= d1 + 1e-9; day += step) {
      ticks.push_back({day, day_month(date_of(day))});
    }
  }
  const year_month_day first(date_of(std::floor(d0)));
  for (int months_step : {1, 2, 3, 6, 12}) {
    std::vector<Tick>& ticks = candidates.emplace_back();
    for (year_month month = first.year() / first.month();; month += months{1}) {
      const double day = (sys_days(month / 1) - time.start).count();
      if (day > d1 + 1e-9) break;
      const int index = static_cast<int>(month.year()) * 12 +
                        static_cast<int>(static_cast<unsigned>(month.month())) - 1;
      if (day >= d0 - 1e-9 && index % months_step == 0)
        ticks.push_back({day, day_month(sys_days(month / 1))});
    }
  }
  // The finest set whose labels fit, with years where they fit too (always when the axis
  // spans more than one year).
  const bool one_year = year_month_day(date_of(std::floor(d0))).year() ==
                        year_month_day(date_of(std::ceil(d1))).year();
  for (const std::vector<Tick>& ticks : candidates) {
    std::vector<Tick> dated = with_years(ticks);
    if (fits(dated)) return dated;
    if (one_year && fits(ticks)) return ticks;
  }
  return with_years(candidates.back());
}

std::vector<Tick> value_ticks(double lo, double hi, double height) {
  const int max_ticks = std::clamp(static_cast<int>(height / 26) + 1, 3, 7);
  const std::vector<double> values = nice_ticks(lo, hi, max_ticks);
  const int decimals = decimals_needed(values.size() > 1 ? values[1] - values[0] : 1);
  std::vector<Tick> ticks;
  for (double v : values) ticks.push_back({v, format_number(v, decimals)});
  return ticks;
}

double widest(const Canvas& canvas, const std::vector<Tick>& ticks) {
  double w = 0;
  for (const Tick& t : ticks) w = std::max(w, canvas.measure(t.label, kTickFont).width);
  return w;
}

// Horizontal grid lines at the value ticks, labelled on the left when `labels`.
void draw_value_grid(Canvas& canvas, const Frame& f, const std::vector<Tick>& ticks, bool labels) {
  cairo_t* cr = canvas.cr();
  for (const Tick& t : ticks) {
    const double y = std::round(f.y(t.at) * 2) / 2;
    cairo_move_to(cr, f.box.x0, y);
    cairo_line_to(cr, f.box.x1, y);
    if (labels)
      canvas.text(t.label, {f.box.x0 - 4, y}, kTickFont, style::muted, Align::right,
                  VAlign::middle);
  }
  canvas.set_colour(style::grid);
  cairo_set_line_width(cr, 0.6);
  cairo_stroke(cr);
}

// The time axis line (at value 0 when in range) with tick marks, labelled when `labels`.
void draw_time_axis(Canvas& canvas, const Frame& f, const std::vector<Tick>& ticks, bool labels) {
  cairo_t* cr = canvas.cr();
  const double y = f.box.y1;
  cairo_move_to(cr, f.box.x0, y);
  cairo_line_to(cr, f.box.x1, y);
  for (const Tick& t : ticks) {
    cairo_move_to(cr, f.x(t.at), y);
    cairo_line_to(cr, f.x(t.at), y + 3);
    if (labels)
      canvas.text(t.label, {f.x(t.at), y + 4.5}, kTickFont, style::muted, Align::centre,
                  VAlign::top);
  }
  canvas.set_colour(kAxis);
  cairo_set_line_width(cr, 0.8);
  cairo_stroke(cr);
}

double day_of(const TimeAxis& time, std::size_t i) {
  return time.first_day + time.step_days * i;
}

// A polyline through the finite values, broken at NaN.
void add_line(cairo_t* cr, const std::vector<double>& values, const TimeAxis& time,
              const Frame& f) {
  bool drawing = false;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (!std::isfinite(values[i])) {
      drawing = false;
      continue;
    }
    const double x = f.x(day_of(time, i)), y = f.y(values[i]);
    drawing ? cairo_line_to(cr, x, y) : cairo_move_to(cr, x, y);
    drawing = true;
  }
}

// A closed region between `top` and `bottom` (equal lengths) over the indices where both
// are finite, one polygon per run.
void add_region(cairo_t* cr, const std::vector<double>& top, const std::vector<double>& bottom,
                const TimeAxis& time, const Frame& f) {
  std::size_t i = 0;
  while (i < top.size()) {
    if (!std::isfinite(top[i]) || !std::isfinite(bottom[i])) {
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < top.size() && std::isfinite(top[end]) && std::isfinite(bottom[end])) ++end;
    cairo_move_to(cr, f.x(day_of(time, i)), f.y(top[i]));
    for (std::size_t k = i + 1; k < end; ++k) cairo_line_to(cr, f.x(day_of(time, k)), f.y(top[k]));
    for (std::size_t k = end; k-- > i;) cairo_line_to(cr, f.x(day_of(time, k)), f.y(bottom[k]));
    cairo_close_path(cr);
    i = end;
  }
}

// The load and the capacity as one sequence of (day, load, capacity) samples between which
// both are linear: the load is interpolated between its values; the capacity holds each
// value until the next time step and jumps there (two samples on that day).
struct CapacitySample {
  double day, load, capacity;
};

std::vector<CapacitySample> capacity_samples(const std::vector<double>& load, const Capacity& c,
                                             const TimeAxis& time) {
  std::vector<CapacitySample> samples;
  for (std::size_t i = 0; i < load.size(); ++i) {
    const double day = day_of(time, i);
    if (i > 0 && capacity_at(c, i) != capacity_at(c, i - 1)) {
      samples.push_back({day, load[i], capacity_at(c, i - 1)});
    }
    samples.push_back({day, load[i], capacity_at(c, i)});
  }
  return samples;
}

// The regions where the load exceeds the capacity, cut exactly where the two cross.
void add_over_capacity(cairo_t* cr, const std::vector<CapacitySample>& samples, const Frame& f) {
  std::vector<Point> top, bottom;  // canvas points of the current run
  const auto close_run = [&] {
    if (top.size() >= 2) {
      cairo_move_to(cr, top[0].x, top[0].y);
      for (std::size_t k = 1; k < top.size(); ++k) cairo_line_to(cr, top[k].x, top[k].y);
      for (std::size_t k = bottom.size(); k-- > 0;) cairo_line_to(cr, bottom[k].x, bottom[k].y);
      cairo_close_path(cr);
    }
    top.clear();
    bottom.clear();
  };
  for (std::size_t i = 0; i < samples.size(); ++i) {
    const CapacitySample& s = samples[i];
    const double d = s.load - s.capacity;
    if (!std::isfinite(d)) {
      close_run();
      continue;
    }
    if (i > 0) {
      const CapacitySample& p = samples[i - 1];
      const double d_prev = p.load - p.capacity;
      if (std::isfinite(d_prev) && (d_prev > 0) != (d > 0)) {  // they cross between p and s
        const double t = d_prev / (d_prev - d);
        const Point cross{f.x(p.day + t * (s.day - p.day)),
                          f.y(p.capacity + t * (s.capacity - p.capacity))};
        top.push_back(cross);
        bottom.push_back(cross);
        if (d <= 0) close_run();
      }
    }
    if (d > 0) {
      top.push_back({f.x(s.day), f.y(s.load)});
      bottom.push_back({f.x(s.day), f.y(s.capacity)});
    }
  }
  close_run();
}

// The capacity as a step line (across the whole plot when it is one value).
void add_capacity_line(cairo_t* cr, const std::vector<CapacitySample>& samples, const Capacity& c,
                       const Frame& f) {
  if (c.values.size() == 1) {
    cairo_move_to(cr, f.box.x0, f.y(c.values[0]));
    cairo_line_to(cr, f.box.x1, f.y(c.values[0]));
    return;
  }
  bool drawing = false;
  for (const CapacitySample& s : samples) {
    if (!std::isfinite(s.capacity)) {
      drawing = false;
      continue;
    }
    drawing ? cairo_line_to(cr, f.x(s.day), f.y(s.capacity))
            : cairo_move_to(cr, f.x(s.day), f.y(s.capacity));
    drawing = true;
  }
}

// Everything inside the axes of one plot, clipped to its box.
void draw_plot(Canvas& canvas, const Plot& plot, const TimeAxis& time, const Frame& f) {
  cairo_t* cr = canvas.cr();
  cairo_save(cr);
  canvas.clip({f.box.x0, f.box.y0 - kLineWidth, f.box.x1, f.box.y1});
  cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
  std::vector<double> base;
  for (std::size_t a = 0; a < plot.areas.size(); ++a) {
    const std::vector<double>& values = plot.areas[a].values;
    base.resize(std::max(base.size(), values.size()), 0.0);
    std::vector<double> top = base;
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (std::isfinite(values[i])) top[i] += values[i];
    }
    add_region(cr, top, base, time, f);
    canvas.set_colour(area_colour(plot, a));
    cairo_fill(cr);
    base = std::move(top);
  }
  const Colour band_colour = plot.lines.empty() ? category_colour(0) : line_colour(plot, 0);
  for (std::size_t b = 0; b < plot.bands.size(); ++b) {
    add_region(cr, plot.bands[b].upper, plot.bands[b].lower, time, f);
    canvas.set_colour(
        band_colour.with_alpha(0.18 + 0.22 * b / std::max<double>(1, plot.bands.size() - 1)));
    cairo_fill(cr);
  }
  if (plot.capacity) {
    const Capacity& c = *plot.capacity;
    const std::vector<CapacitySample> samples =
        capacity_samples(plot.lines[c.load].values, c, time);
    add_over_capacity(cr, samples, f);
    canvas.set_colour(style::over.with_alpha(0.45));
    cairo_fill(cr);
    add_capacity_line(cr, samples, c, f);
    canvas.set_colour(kCapacity);
    cairo_set_line_width(cr, 1.2);
    cairo_stroke(cr);
  }
  for (std::size_t l = 0; l < plot.lines.size(); ++l) {
    add_line(cr, plot.lines[l].values, time, f);
    canvas.set_colour(line_colour(plot, l));
    cairo_set_line_width(cr, kLineWidth);
    if (plot.lines[l].dashed) {
      const double dash[] = {4, 2.5};
      cairo_set_dash(cr, dash, 2, 0);
    }
    cairo_stroke(cr);
    cairo_set_dash(cr, nullptr, 0, 0);
  }
  cairo_restore(cr);
}

// The marked day of `time` as a dashed vertical line across the plot, labelled at its top
// (when `label`), if it falls inside the plot.
void draw_mark(Canvas& canvas, const TimeAxis& time, const Frame& f, bool label) {
  if (!time.mark_day || *time.mark_day < f.x0 || *time.mark_day > f.x1) return;
  cairo_t* cr = canvas.cr();
  const double x = std::round(f.x(*time.mark_day) * 2) / 2;
  cairo_save(cr);
  cairo_move_to(cr, x, f.box.y0);
  cairo_line_to(cr, x, f.box.y1);
  const double dash[] = {3, 2};
  cairo_set_dash(cr, dash, 2, 0);
  canvas.set_colour(kAxis);
  cairo_set_line_width(cr, 1.0);
  cairo_stroke(cr);
  cairo_restore(cr);
  if (label && !time.mark_label.empty())
    canvas.text(time.mark_label, {x + 3, f.box.y0 + 1}, kTickFont, kAxis, Align::left,
                VAlign::top);
}

// Titles, legend and units line; returns the box left for the plot(s) and tick labels.
Box chart_header(Canvas& canvas, const Titles& titles, const std::vector<LegendEntry>& legend,
                 const std::string& units) {
  const Box page{0, 0, canvas.size().width, canvas.size().height};
  Box body = draw_titles(canvas, titles, page.inset(style::margin));
  const double legend_height = flow_legend(canvas, legend, {body.x0, body.y0}, body.width(), true);
  if (legend_height > 0) body.y0 += legend_height + 8;
  if (!units.empty()) {
    body.y0 +=
        canvas.text(units, {body.x0, body.y0}, kUnitsFont, style::muted, Align::left, VAlign::top)
            .height() +
        5;
  }
  if (body.height() < 30) throw DrawingError(plot_name(titles.title) + ": canvas too small");
  return body;
}

}  // namespace

void draw_time_chart(Canvas& canvas, const TimeChart& chart) {
  validate(chart.plot, chart.titles.title);
  const Box body = chart_header(canvas, chart.titles, legend_entries(chart.plot), chart.y_units);
  const std::size_t n = point_count(chart.plot);
  const auto [lo, hi] = value_range(chart.plot);
  const double tick_height = canvas.measure("0", kTickFont).height;
  const double plot_height = body.height() - tick_height - 6;
  const std::vector<Tick> y_ticks = value_ticks(lo, hi, plot_height);
  const double right_pad = canvas.measure("30 Sep", kTickFont).width / 2;
  Frame f{
      {body.x0 + widest(canvas, y_ticks) + 6, body.y0, body.x1 - right_pad, body.y0 + plot_height},
      day_of(chart.time, 0),
      day_of(chart.time, std::max<std::size_t>(n, 2) - 1),
      y_ticks.front().at,
      y_ticks.back().at};
  draw_value_grid(canvas, f, y_ticks, true);
  draw_plot(canvas, chart.plot, chart.time, f);
  draw_mark(canvas, chart.time, f, true);
  draw_time_axis(canvas, f, date_ticks(canvas, chart.time, f.x0, f.x1, f.box.width()), true);
}

void draw_bar_chart(Canvas& canvas, const BarChart& chart) {
  const std::string what = plot_name(chart.titles.title);
  if (chart.categories.empty() || chart.groups.empty())
    throw DrawingError(what + ": no bars to draw");
  double lo = 0, hi = 0;
  std::vector<LegendEntry> legend;
  for (std::size_t g = 0; g < chart.groups.size(); ++g) {
    const Series& s = chart.groups[g];
    if (s.values.size() != chart.categories.size()) {
      throw DrawingError(what + ": group '" + s.name + "' has " + std::to_string(s.values.size()) +
                         " values for " + std::to_string(chart.categories.size()) + " categories");
    }
    for (double v : s.values) {
      if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
    }
    if (chart.groups.size() > 1)
      legend.push_back({LegendEntry::Swatch::fill, s.colour.value_or(category_colour(g)), s.name});
  }
  const Box body = chart_header(canvas, chart.titles, legend, "");
  const bool value_labels = chart.groups.size() == 1;
  const std::vector<Tick> ticks = value_ticks(lo, hi, body.width() / 2);
  // Value labels: the decimals of the ticks, one more when a value needs it (18.5 on an
  // axis of 0, 5, 10, ...).
  const int tick_decimals = decimals_needed(ticks.size() > 1 ? ticks[1].at - ticks[0].at : 1);
  const std::vector<double>& values = chart.groups[0].values;
  const int decimals = tick_decimals + std::any_of(values.begin(), values.end(), [&](double v) {
                         return std::isfinite(v) && decimals_needed(v) > tick_decimals;
                       });
  double name_width = 0, value_width = 0;
  for (const std::string& c : chart.categories)
    name_width = std::max(name_width, canvas.measure(c, kTickFont).width);
  for (double v : values) {
    value_width =
        std::max(value_width, canvas.measure(format_number(v, decimals), kTickFont).width);
  }
  const double tick_height = canvas.measure("0", kTickFont).height;
  const double units_height =
      chart.units.empty() ? 0 : canvas.measure(chart.units, kUnitsFont).height + 3;
  const double right = std::max(canvas.measure(ticks.back().label, kTickFont).width / 2,
                                value_labels ? value_width + 4 : 0.0);
  Frame f{{body.x0 + name_width + 6, body.y0, body.x1 - right,
           body.y1 - tick_height - 6 - units_height},
          ticks.front().at,
          ticks.back().at,
          0,
          1};
  cairo_t* cr = canvas.cr();
  // Vertical grid lines and value labels under the bars.
  for (const Tick& t : ticks) {
    const double x = std::round(f.x(t.at) * 2) / 2;
    cairo_move_to(cr, x, f.box.y0);
    cairo_line_to(cr, x, f.box.y1);
    canvas.text(t.label, {x, f.box.y1 + 4}, kTickFont, style::muted, Align::centre, VAlign::top);
  }
  canvas.set_colour(style::grid);
  cairo_set_line_width(cr, 0.6);
  cairo_stroke(cr);
  if (!chart.units.empty()) {
    canvas.text(chart.units, {(f.box.x0 + f.box.x1) / 2, body.y1}, kUnitsFont, style::muted,
                Align::centre, VAlign::bottom);
  }
  const double row = f.box.height() / chart.categories.size();
  const double bar = std::min(row * 0.75 / chart.groups.size(), 14.0);
  const double zero = f.x(0);
  for (std::size_t c = 0; c < chart.categories.size(); ++c) {
    const double middle = f.box.y0 + (c + 0.5) * row;
    canvas.text(chart.categories[c], {f.box.x0 - 5, middle}, kTickFont, style::ink, Align::right,
                VAlign::middle);
    const double first = middle - bar * chart.groups.size() / 2;
    for (std::size_t g = 0; g < chart.groups.size(); ++g) {
      const double v = chart.groups[g].values[c];
      if (!std::isfinite(v)) continue;
      const double x = f.x(v);
      cairo_rectangle(cr, std::min(zero, x), first + g * bar, std::fabs(x - zero), bar * 0.92);
      canvas.set_colour(chart.groups[g].colour.value_or(category_colour(g)));
      cairo_fill(cr);
      if (value_labels) {  // beyond the end of the bar
        canvas.text(format_number(v, decimals),
                    {x + (v < 0 ? -3 : 3), first + g * bar + bar * 0.46}, kTickFont, style::ink,
                    v < 0 ? Align::right : Align::left, VAlign::middle);
      }
    }
  }
  cairo_move_to(cr, zero, f.box.y0);
  cairo_line_to(cr, zero, f.box.y1);
  canvas.set_colour(kAxis);
  cairo_set_line_width(cr, 0.8);
  cairo_stroke(cr);
}

void draw_small_multiples(Canvas& canvas, const SmallMultiples& chart) {
  if (chart.panels.empty())
    throw DrawingError(plot_name(chart.titles.title) + ": no panels to draw");
  std::size_t n = 0;
  double lo = 0, hi = 0;
  for (const Panel& p : chart.panels) {
    validate(p.plot, chart.titles.title + "', panel '" + p.title);
    n = std::max(n, point_count(p.plot));
    const auto [plo, phi] = value_range(p.plot);
    lo = std::min(lo, plo);
    hi = std::max(hi, phi);
  }
  const Box body =
      chart_header(canvas, chart.titles, legend_entries(chart.panels[0].plot), chart.y_units);
  const int count = static_cast<int>(chart.panels.size());
  const double tick_height = canvas.measure("0", kTickFont).height;
  const double title_height = canvas.measure("Ag", kPanelTitleFont).height + 2;
  const double gap_x = 10, gap_y = tick_height + 8;
  // Columns: as asked, else the count that gives the largest panels of aspect about 1.6.
  int columns = chart.columns;
  if (columns <= 0) {
    double best = -1;
    for (int c = 1; c <= count; ++c) {
      const int rows = (count + c - 1) / c;
      const double w = (body.width() - (c - 1) * gap_x) / c;
      const double h = (body.height() - (rows - 1) * gap_y) / rows - title_height;
      const double size = std::min(w / 1.6, h);
      if (size > best) best = size, columns = c;
    }
  }
  const int rows = (count + columns - 1) / columns;
  const double cell_height = (body.height() - tick_height - 6 - (rows - 1) * gap_y) / rows;
  const std::vector<Tick> y_ticks =
      value_ticks(lo, hi, std::max(cell_height - title_height, 1.0) * 0.8);
  const double left = widest(canvas, y_ticks) + 6;
  const double right_pad = canvas.measure("30 Sep", kTickFont).width / 2;
  const double cell_width = (body.width() - left - right_pad - (columns - 1) * gap_x) / columns;
  if (cell_width < 30 || cell_height - title_height < 20) {
    throw DrawingError(plot_name(chart.titles.title) + ": canvas too small for " +
                       std::to_string(count) + " panels");
  }
  std::vector<Tick> x_ticks;
  for (int i = 0; i < count; ++i) {
    const int r = i / columns, c = i % columns;
    const double x = body.x0 + left + c * (cell_width + gap_x);
    const double y = body.y0 + r * (cell_height + gap_y);
    const Panel& panel = chart.panels[i];
    cairo_save(canvas.cr());  // a title too long for its panel is cut at the panel's edge
    canvas.clip({x, y, x + cell_width + gap_x / 2, y + title_height});
    canvas.text(panel.title, {x, y}, kPanelTitleFont, style::ink, Align::left, VAlign::top);
    cairo_restore(canvas.cr());
    Frame f{{x, y + title_height, x + cell_width, y + cell_height},
            day_of(chart.time, 0),
            day_of(chart.time, std::max<std::size_t>(n, 2) - 1),
            y_ticks.front().at,
            y_ticks.back().at};
    if (x_ticks.empty()) x_ticks = date_ticks(canvas, chart.time, f.x0, f.x1, f.box.width());
    draw_value_grid(canvas, f, y_ticks, c == 0);
    draw_plot(canvas, panel.plot, chart.time, f);
    draw_mark(canvas, chart.time, f, i == 0);
    draw_time_axis(canvas, f, x_ticks, i + columns >= count);
  }
}

}  // namespace rfsim::outputs
