-- slate's pandoc filter for the PDF stage (see docs/pdf.md).
--
-- 1. Safety: every RawBlock/RawInline coming from the Markdown is dropped (LaTeX, Typst, HTML alike), math is
--    turned into literal code, remote images are never fetched, and local images must lie inside the resource
--    directory. Raw output generated below, by this filter, is the only raw code the writer receives.
-- 2. Links: internal links whose target does not exist become plain text (Typst refuses dangling labels), and
--    duplicate identifiers are cleared.
-- 3. Badges (img.shields.io images, or the alt texts Help wanted/TBD/Team/Complete/Not funded) become coloured
--    labels drawn by the template (`#slate-badge`), so nothing remote is needed.
-- 4. Tables (tables.lua, next to this file): column widths, long tokens that may break where their cell is too
--    narrow, rows of one goal kept together, a "(continued)" header, smaller type or a landscape page.
-- 5. The title page metadata (`slate-*` strings given with -M) becomes escaped inline text.
-- 6. Last, for Typst (escape.lua): text right after an element the writer prints as `#name[...]` cannot continue
--    that expression (`**x**.at(0)` is text, not a method call).

local stringify = pandoc.utils.stringify
local IS_TYPST = FORMAT == "typst"
local IS_LATEX = FORMAT == "latex" or FORMAT == "beamer"
local here = pandoc.path.directory(PANDOC_SCRIPT_FILE)
local tables = dofile(pandoc.path.join({ here, "tables.lua" }))
local escape = dofile(pandoc.path.join({ here, "escape.lua" }))
local typography = dofile(pandoc.path.join({ here, "typography.lua" }))

local typst_string = tables.typst_string

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
  if target:match("^%s*$") then
    return link.content -- `[x]()`: Typst refuses an empty URL
  end
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

-- The image files of the source tree that the PDF may use (`slate-images`, a JSON list of `/`-separated paths made
-- by slate: regular files, reached without a symbolic link); slate checks and copies those the RFC uses (`used`,
-- listed at the end of the Typst output) into Typst's otherwise empty root. This filter reads no file itself.
local available = nil
local used, used_list = {}, {}
-- No SVG: an SVG file can itself point at other files.
local IMAGE_EXTENSIONS = { png = true, jpg = true, jpeg = true, gif = true }

-- The path of a local image as slate lists it (`./` and empty segments dropped), or nil when it is not one: an
-- address, an absolute path, `..`, another type, or a file that is not in the list.
local function local_image(src)
  if available == nil or src:match("^%a[%w+.-]*:") or src:sub(1, 1) == "/" or src:sub(1, 1) == "\\" then
    return nil
  end
  local ext = (src:match("%.(%w+)$") or ""):lower()
  if not IMAGE_EXTENSIONS[ext] then
    return nil
  end
  local segments = {}
  for segment in src:gmatch("[^/\\]+") do
    if segment == ".." then
      return nil
    elseif segment ~= "." then
      segments[#segments + 1] = segment
    end
  end
  local path = table.concat(segments, "/")
  if not available[path] then
    return nil
  end
  if not used[path] then
    used[path] = true
    used_list[#used_list + 1] = path
  end
  return path
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
  local path = local_image(src)
  if path ~= nil then
    img.src = path
    return img
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
-- 5. Metadata

local META_KEYS =
  { "slate-title", "slate-period", "slate-rfc", "slate-date", "slate-goals", "slate-built", "slate-built-label", "slate-revision", "slate-author" }

-- Only the `slate-*` strings from the command line survive: nothing in the document can set template variables.
local function meta(given)
  local m = pandoc.Meta({})
  local images = given["slate-images"]
  if images ~= nil then
    available = {}
    for _, path in ipairs(pandoc.json.decode(stringify(images))) do
      available[path] = true
    end
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
    m.date = m["slate-built"] or m["slate-date"]
    m.author = m["slate-author"]
    local sub = pandoc.Inlines({})
    local parts = {
      { "slate-period", "Period ", "" },
      { "slate-rfc", "RFC ", "" },
      { "slate-goals", "", " goals" },
      { "slate-revision", "revision ", "" },
    }
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

return {
  { Meta = meta },
  sanitize,
  {
    Pandoc = function(doc)
      doc = settle_ids(doc)
      doc = doc:walk({ Link = fix_link, Image = image })
      doc = typography.apply(doc, IS_TYPST)
      local champions = tables.longest_champions(doc)
      local stats
      doc, stats = tables.survey(doc)
      local heading = ""
      doc = doc:walk({
        traverse = "topdown",
        Header = function(h)
          heading = stringify(h.content)
        end,
        Table = function(tbl)
          return tables.prepare(tbl, heading, IS_TYPST, stats)
        end,
      })
      local function wrap(blocks, top)
        return tables.wrap(blocks, top, champions, IS_TYPST)
      end
      doc.blocks = wrap(doc.blocks, true)
      return doc:walk({
        Code = IS_TYPST and tables.prose_code.Code or nil,
        Blocks = function(blocks)
          return wrap(blocks, false)
        end,
      })
    end,
  },
  IS_TYPST and { Inlines = escape.Inlines } or {},
  {
    -- The images used, for slate to check and copy into Typst's root: a Typst comment (Typst ignores it; text
    -- can never start one, the writer escapes `//`).
    Pandoc = function(doc)
      if IS_TYPST and #used_list > 0 then
        doc.blocks:insert(pandoc.RawBlock("typst", "// slate-images: " .. pandoc.json.encode(used_list)))
      end
      return doc
    end,
  },
}
