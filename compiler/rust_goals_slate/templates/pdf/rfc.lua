-- slate's pandoc filter for the PDF stage (see docs/pdf.md).
--
-- 1. Safety: every RawBlock/RawInline coming from the Markdown is dropped (LaTeX, Typst, HTML alike), math is
--    turned into literal code, remote images are never fetched, and local images must lie inside the resource
--    directory. Raw output generated below, by this filter, is the only raw code the writer receives.
-- 2. Links: internal links whose target does not exist become plain text (Typst refuses dangling labels), and
--    duplicate identifiers are cleared.
-- 3. Badges (img.shields.io images, or the alt texts Help wanted/TBD/Team/Complete/Not funded) become coloured
--    labels drawn by the template (`#slate-badge`), so nothing remote is needed.
-- 4. Tables get column widths from their content, long tokens become breakable, and wide tables get smaller type
--    or a landscape page.
-- 5. The title page metadata (`slate-*` strings given with -M) becomes escaped inline text.

local stringify = pandoc.utils.stringify
local ZWSP = utf8.char(0x200B)
local IS_TYPST = FORMAT == "typst"
local IS_LATEX = FORMAT == "latex" or FORMAT == "beamer"

-- Characters per line of the text block, by table layout (A4, 2 cm margins, Libertinus Serif).
local LAYOUTS = {
  { name = "normal", chars = 105, size = "9pt", landscape = false },
  { name = "narrow", chars = 120, size = "8pt", landscape = false },
  { name = "landscape", chars = 180, size = "8pt", landscape = true },
  { name = "landscape-narrow", chars = 205, size = "7pt", landscape = true },
}
local NARROW_COLUMNS = 6 -- tables with at least this many columns use small type
local LANDSCAPE_COLUMNS = 9 -- ... and with at least this many, a landscape page
local CELL_WORD = 18 -- longer tokens in cells get break opportunities
local CODE_WORD = 40 -- ... and in inline code elsewhere
local SHORT_CELL = 24 -- a column whose cells are all this short would rather not wrap

local function ulen(s)
  return utf8.len(s) or #s
end

-- Insert zero-width spaces into a long token: after separators, at lower/upper case changes, and every `chunk`
-- characters, so that Typst can break it inside a narrow column. Text that has them already is left alone.
local function breakable(s, limit, chunk)
  if ulen(s) <= limit or s:find(ZWSP, 1, true) then
    return s
  end
  local out, run, prev = {}, 0, ""
  for _, cp in utf8.codes(s) do
    local ch = utf8.char(cp)
    if ch == ZWSP or ch:match("%s") then
      run = 0
    elseif prev:match("%l") and ch:match("%u") and run > 2 then
      out[#out + 1] = ZWSP
      run = 0
    end
    out[#out + 1] = ch
    run = run + 1
    if ch:match("[/%._:,;&=%-]") or run >= chunk then
      out[#out + 1] = ZWSP
      run = 0
    end
    prev = ch
  end
  if out[#out] == ZWSP then
    out[#out] = nil
  end
  return table.concat(out)
end

local function typst_string(s)
  return '"' .. s:gsub("\\", "\\\\"):gsub('"', '\\"'):gsub("\n", " ") .. '"'
end

local function latex_text(s)
  local map = {
    ["\\"] = "\\textbackslash{}",
    ["{"] = "\\{",
    ["}"] = "\\}",
    ["$"] = "\\$",
    ["&"] = "\\&",
    ["#"] = "\\#",
    ["^"] = "\\^{}",
    ["_"] = "\\_",
    ["%"] = "\\%",
    ["~"] = "\\~{}",
  }
  return (s:gsub("[\\{}$&#^_%%~]", map))
end

---------------------------------------------------------------------------------------------------------------
-- 1. Safety

local function drop()
  return {}
end

local sanitize = {
  RawBlock = drop,
  RawInline = function(raw)
    -- `<br>` inside a table cell is common in goal tables: keep it as a line break, drop everything else.
    if raw.format == "html" and raw.text:match("^<[bB][rR]%s*/?>$") then
      return pandoc.LineBreak()
    end
    return {}
  end,
  -- A fence's language becomes Typst's language tag: keep plain names only (```{=typst} is shown as code).
  CodeBlock = function(block)
    local classes = {}
    for _, class in ipairs(block.classes) do
      if class:match("^[%w_+#-]+$") then
        classes[#classes + 1] = class
      end
    end
    if #classes ~= #block.classes then
      block.classes = classes
      return block
    end
  end,
  -- Math is not typeset: it stays the text it was, delimiters included.
  Math = function(m)
    local delim = m.mathtype == "DisplayMath" and "$$" or "$"
    return pandoc.Str(delim .. m.text .. delim)
  end,
}

---------------------------------------------------------------------------------------------------------------
-- 2. Identifiers and internal links

local known_ids = {}

local function keep_first(el)
  if el.identifier == nil or el.identifier == "" then
    return nil
  end
  if known_ids[el.identifier] then
    el.identifier = ""
  else
    known_ids[el.identifier] = true
  end
  return el
end

local function clear_id(el)
  if el.identifier ~= nil and el.identifier ~= "" then
    el.identifier = ""
    return el
  end
  return nil
end

-- Identifiers, in document order: the first element to claim one keeps it. Only headings, divs and spans get
-- Typst labels; every other element loses its identifier. Headings also move up so that the top level is 1 (the
-- outline and the running headers count from 1; some RFCs start their sections at `##`).
local function settle_ids(doc)
  known_ids = {}
  local top = 99
  for _, block in ipairs(doc.blocks) do
    if block.t == "Header" then
      top = math.min(top, block.level)
    end
  end
  local shift = top < 99 and top - 1 or 0
  return doc:walk({
    traverse = "topdown",
    Header = function(h)
      h.level = math.max(h.level - shift, 1)
      keep_first(h)
      return h
    end,
    Div = keep_first,
    Span = keep_first,
    CodeBlock = clear_id,
    Code = clear_id,
    Table = clear_id,
    Figure = clear_id,
    Image = clear_id,
    Link = clear_id,
  })
end

local function fix_link(link)
  local target = link.target
  if target:sub(1, 1) == "#" then
    local id = target:sub(2)
    if id == "" or not known_ids[id] then
      return link.content
    end
  end
  return nil
end

---------------------------------------------------------------------------------------------------------------
-- 3. Images and badges

local COLORS = {
  brightgreen = "44cc11",
  green = "97ca00",
  yellowgreen = "a4a61d",
  yellow = "dfb317",
  orange = "fe7d37",
  red = "e05d44",
  blue = "007ec6",
  lightgrey = "9f9f9f",
  lightgray = "9f9f9f",
  grey = "555555",
  gray = "555555",
  success = "44cc11",
  important = "fe7d37",
  critical = "e05d44",
  informational = "007ec6",
  inactive = "9f9f9f",
  blueviolet = "8a2be2",
}
local GREY = "555555"

-- Known badges by (case-folded) alt text: label and colour.
local BADGES = {
  ["help wanted"] = { "Help wanted", "yellow" },
  ["tbd"] = { "TBD", "red" },
  ["team"] = { "Team ask", "red" },
  ["team ask"] = { "Team ask", "red" },
  ["complete"] = { "Complete", "green" },
  ["completed"] = { "Complete", "green" },
  ["not funded"] = { "Not yet funded", "red" },
  ["not yet funded"] = { "Not yet funded", "red" },
}

local function color_hex(name)
  name = (name or ""):lower()
  if COLORS[name] then
    return COLORS[name]
  end
  if name:match("^%x%x%x%x%x%x$") then
    return name
  end
  if name:match("^%x%x%x$") then
    return (name:gsub("%x", "%0%0"))
  end
  return GREY
end

local function url_decode(s)
  return (s:gsub("%%(%x%x)", function(h)
    return string.char(tonumber(h, 16))
  end))
end

-- Split a shields.io static badge path `label-message-color` (or `message-color`); `--` is a dash, `__` an
-- underscore and `_` a space.
local function shields_parts(src)
  local path = src:match("^https?://img%.shields%.io/badge/([^?#]*)")
  if not path then
    return nil
  end
  path = url_decode(path):gsub("%.svg$", ""):gsub("%.png$", "")
  path = path:gsub("%-%-", "\1"):gsub("__", "\2")
  local parts = {}
  for piece in (path .. "-"):gmatch("([^-]*)%-") do
    piece = piece:gsub("_", " "):gsub("\1", "-"):gsub("\2", "_")
    parts[#parts + 1] = piece
  end
  if #parts >= 3 then
    return { label = parts[1], message = table.concat(parts, "-", 2, #parts - 1), color = parts[#parts] }
  elseif #parts == 2 then
    return { message = parts[1], color = parts[2] }
  elseif #parts == 1 and parts[1] ~= "" then
    return { message = parts[1], color = "lightgrey" }
  end
  return nil
end

local function badge(label, message, hex)
  if IS_TYPST then
    local r, g, b = tonumber(hex:sub(1, 2), 16), tonumber(hex:sub(3, 4), 16), tonumber(hex:sub(5, 6), 16)
    local ink = (0.299 * r + 0.587 * g + 0.114 * b) > 150 and "black" or "white"
    local args = typst_string(message) .. ", rgb(" .. typst_string("#" .. hex) .. "), ink: " .. ink
    if label and label ~= "" then
      args = args .. ", label: " .. typst_string(label)
    end
    return pandoc.RawInline("typst", "#slate-badge(" .. args .. ")")
  elseif IS_LATEX then
    local text = latex_text(message)
    if label and label ~= "" then
      text = latex_text(label) .. ": " .. text
    end
    return pandoc.RawInline("latex", "\\colorbox[HTML]{" .. hex:upper() .. "}{\\textsf{\\footnotesize " .. text .. "}}")
  end
  local text = message
  if label and label ~= "" then
    text = label .. ": " .. text
  end
  return pandoc.Strong({ pandoc.Str("[" .. text .. "]") })
end

local resource_dir = nil
-- No SVG: an SVG file can itself point at other files.
local IMAGE_EXTENSIONS = { png = true, jpg = true, jpeg = true, gif = true }

-- A local image is kept only if its path is relative, stays inside the resource directory and exists there.
local function local_image_ok(src)
  if resource_dir == nil or src:match("^%a[%w+.-]*:") or src:sub(1, 1) == "/" or src:sub(1, 1) == "\\" then
    return false
  end
  local ext = (src:match("%.(%w+)$") or ""):lower()
  if not IMAGE_EXTENSIONS[ext] then
    return false
  end
  for segment in src:gmatch("[^/\\]+") do
    if segment == ".." then
      return false
    end
  end
  local f = io.open(resource_dir .. "/" .. src, "rb")
  if f == nil then
    return false
  end
  f:close()
  return true
end

local function image(img)
  local alt = stringify(img.caption)
  local src = img.src
  local parts = shields_parts(src)
  if parts then
    if (parts.label == nil or parts.label == "") and BADGES[parts.message:lower()] then
      parts.message = BADGES[parts.message:lower()][1]
    end
    return badge(parts.label, parts.message, color_hex(parts.color))
  end
  local known = BADGES[alt:lower()]
  if known then
    return badge(nil, known[1], color_hex(known[2]))
  end
  if local_image_ok(src) then
    return nil
  end
  -- Remote or unusable: never fetched; its alt text (or address) stands in, linked when it has an address.
  local text = alt ~= "" and alt or src
  local label = pandoc.Emph({ pandoc.Str("[image: "), pandoc.Str(text), pandoc.Str("]") })
  if src:match("^https?://") then
    return pandoc.Link({ label }, src)
  end
  return label
end

---------------------------------------------------------------------------------------------------------------
-- 4. Tables

local function each_row(tbl, fn)
  for _, row in ipairs(tbl.head.rows) do
    fn(row)
  end
  for _, body in ipairs(tbl.bodies) do
    for _, row in ipairs(body.head) do
      fn(row)
    end
    for _, row in ipairs(body.body) do
      fn(row)
    end
  end
  for _, row in ipairs(tbl.foot.rows) do
    fn(row)
  end
end

local breakable_cell = {
  Str = function(s)
    local t = breakable(s.text, CELL_WORD, 12)
    if t ~= s.text then
      return pandoc.Str(t)
    end
  end,
  Code = function(c)
    local t = breakable(c.text, CELL_WORD, 12)
    if t ~= c.text then
      c.text = t
      return c
    end
  end,
}

-- Column widths, in characters: every column gets at least its longest word (capped), and the rest of the line is
-- shared in proportion to what each column would like: its longest cell if that is short, else a blend of its
-- longest and its average cell, so that one long cell does not starve the other columns. Returns the layout chosen.
local function size_table(tbl)
  local n = #tbl.colspecs
  local longest, word, sum, count = {}, {}, {}, {}
  for c = 1, n do
    longest[c], word[c], sum[c], count[c] = 1, 1, 0, 0
  end
  each_row(tbl, function(row)
    local c = 1
    for _, cell in ipairs(row.cells) do
      local span = cell.col_span or 1
      if span == 1 and c <= n then
        local text = stringify(cell.contents)
        local length = ulen(text)
        longest[c] = math.max(longest[c], length)
        sum[c], count[c] = sum[c] + length, count[c] + 1
        for w in text:gmatch("%S+") do
          word[c] = math.max(word[c], math.min(ulen(w), CELL_WORD))
        end
      end
      c = c + span
    end
  end)
  local natural, minimum, desire, want = 0, 0, {}, 0
  for c = 1, n do
    natural = natural + longest[c] + 2
    minimum = minimum + word[c] + 2
    local mean = count[c] > 0 and sum[c] / count[c] or 0
    local target = longest[c] -- short cells (names, levels) are best not wrapped at all
    if target > SHORT_CELL then
      target = math.min(math.max(0.4 * longest[c] + 0.6 * mean, SHORT_CELL), 60)
    end
    desire[c] = math.max(target - word[c], 0)
    want = want + desire[c]
  end
  local layout = LAYOUTS[1]
  if n >= LANDSCAPE_COLUMNS then
    layout = LAYOUTS[3]
  elseif n >= NARROW_COLUMNS then
    layout = LAYOUTS[2]
  end
  for i = 1, #LAYOUTS do
    if LAYOUTS[i] == layout and minimum > layout.chars and LAYOUTS[i + 1] then
      layout = LAYOUTS[i + 1]
    end
  end
  if natural <= layout.chars then
    return layout -- fits as it is: Typst's automatic widths keep the table compact
  end
  -- Room for every column's longest word: share the rest by desire. No room: every column shrinks in
  -- proportion (long tokens have break opportunities, so a column narrower than its longest word still works).
  local spare, widths, total = layout.chars - minimum, {}, 0
  for c = 1, n do
    local extra = desire[c]
    if spare >= 0 then
      extra = want > 0 and spare * desire[c] / want or 0
    end
    widths[c] = word[c] + 2 + extra
    total = total + widths[c]
  end
  for c = 1, n do
    tbl.colspecs[c] = { tbl.colspecs[c][1], widths[c] / total }
  end
  return layout
end

local function table_filter(tbl)
  local layout = size_table(tbl)
  each_row(tbl, function(row)
    for _, cell in ipairs(row.cells) do
      cell.contents = cell.contents:walk(breakable_cell)
    end
  end)
  tbl.attributes["slate-layout"] = layout.name
  return tbl
end

local function layout_of(name)
  for _, layout in ipairs(LAYOUTS) do
    if layout.name == name then
      return layout
    end
  end
  return LAYOUTS[1]
end

-- Wrap tables in the template's `#slate-table`; landscape only at the top level (a page cannot sit inside a
-- list or a quote).
local function wrap_tables(blocks, top)
  local out = pandoc.Blocks({})
  for _, block in ipairs(blocks) do
    if block.t == "Table" and block.attributes["slate-layout"] ~= nil and IS_TYPST then
      local layout = layout_of(block.attributes["slate-layout"])
      block.attributes["slate-layout"] = nil
      local landscape = (layout.landscape and top) and "true" or "false"
      out:insert(pandoc.RawBlock("typst", "#slate-table(size: " .. layout.size .. ", landscape: " .. landscape .. ")["))
      out:insert(block)
      out:insert(pandoc.RawBlock("typst", "]"))
    else
      if block.t == "Table" then
        block.attributes["slate-layout"] = nil
      end
      out:insert(block)
    end
  end
  return out
end

---------------------------------------------------------------------------------------------------------------
-- 5. Metadata and long inline code

local META_KEYS = { "slate-title", "slate-period", "slate-rfc", "slate-date", "slate-goals" }

-- Only the `slate-*` strings from the command line survive: nothing in the document can set template variables.
local function meta(given)
  local m = pandoc.Meta({})
  local dir = given["slate-resource-dir"]
  if dir ~= nil then
    resource_dir = stringify(dir)
  end
  for _, key in ipairs(META_KEYS) do
    if given[key] ~= nil then
      local text = given[key]
      if type(text) ~= "string" then
        text = stringify(text)
      end
      m[key] = pandoc.MetaInlines(pandoc.Inlines(text))
    end
  end
  if not IS_TYPST and m["slate-title"] ~= nil then
    m.title = m["slate-title"]
    m.date = m["slate-date"]
    local sub = pandoc.Inlines({})
    local parts = { { "slate-period", "Period ", "" }, { "slate-rfc", "RFC ", "" }, { "slate-goals", "", " goals" } }
    for _, part in ipairs(parts) do
      local value = m[part[1]]
      if value ~= nil then
        if #sub > 0 then
          sub:insert(pandoc.Str(" · "))
        end
        sub:insert(pandoc.Str(part[2]))
        sub:extend(value)
        sub:insert(pandoc.Str(part[3]))
      end
    end
    m.subtitle = pandoc.MetaInlines(sub)
  end
  return m
end

local long_code = {
  Code = function(c)
    local t = breakable(c.text, CODE_WORD, 30)
    if t ~= c.text then
      c.text = t
      return c
    end
  end,
}

return {
  { Meta = meta },
  sanitize,
  {
    Pandoc = function(doc)
      doc = settle_ids(doc)
      doc = doc:walk({ Link = fix_link, Image = image, Table = table_filter })
      doc.blocks = wrap_tables(doc.blocks, true)
      return doc:walk({
        Code = long_code.Code,
        Blocks = function(blocks)
          return wrap_tables(blocks, false)
        end,
      })
    end,
  },
}
