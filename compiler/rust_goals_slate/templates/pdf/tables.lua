-- Tables of the PDF, loaded by rfc.lua (see docs/pdf.md, "Tables that fit"). For Typst output:
--
-- * Long tokens (`rustc_codegen_cranelift`, `aarch64-unknown-linux-pauthtest`) become `#slate-token(pieces)`: the
--   template draws them whole, unless the cell they sit in is narrower than the token; then as adjacent boxes, one per
--   piece, which a line may break between. Nothing is inserted into the text: no zero-width space, no soft hyphen.
-- * The rows of one goal (a first cell left empty continues the row above) become one group: their leading empty cells
--   are merged into the first row's, and the template keeps the group on one page.
-- * A header row above the column titles holds "<heading> (continued)", which the template shows only on the
--   pages after the table's first.
-- * `Goal | Level | Champion | Notes` tables get the same columns everywhere, the Champion column as wide as the
--   longest champion of the RFC; other tables are sized from their content.

local stringify = pandoc.utils.stringify

local M = {}

-- Characters per line of the text block, by table layout (A4, 2 cm margins, Libertinus Serif).
local LAYOUTS = {
  { name = "normal", chars = 105, size = "9pt", landscape = false },
  { name = "narrow", chars = 120, size = "8pt", landscape = false },
  { name = "landscape", chars = 180, size = "8pt", landscape = true },
  { name = "landscape-narrow", chars = 205, size = "7pt", landscape = true },
}
local NARROW_COLUMNS = 6 -- tables with at least this many columns use small type
local LANDSCAPE_COLUMNS = 9 -- ... and with at least this many, a landscape page
local CELL_WORD = 18 -- a column needs at least its longest word, up to this many characters
local SHORT_CELL = 24 -- a column whose cells are all this short would rather not wrap
local MIN_TOKEN = 6 -- shorter tokens are left to Typst
local MIN_PIECE = 2 -- no piece of a broken token is shorter than this
local MAX_GROUP = 20 -- rows; a longer group is not kept on one page
local PROSE_CODE = 40 -- inline code outside tables this long may break where it is wider than the text
local GOAL_HEADER = { "Goal", "Level", "Champion", "Notes" }
local CHAMPION_COLUMN = 3
local LONGEST_NAMES = 5 -- the template measures these and sizes the Champion column for the widest

local function ulen(s)
  return utf8.len(s) or #s
end

function M.typst_string(s)
  return '"' .. s:gsub("\\", "\\\\"):gsub('"', '\\"'):gsub("\n", " ") .. '"'
end
local typst_string = M.typst_string

local function chars_of(s)
  local chars = {}
  for _, cp in utf8.codes(s) do
    chars[#chars + 1] = utf8.char(cp)
  end
  return chars
end

local function is_separator(chars, i)
  local ch = chars[i]
  if ch == "_" or ch == "-" or ch == "/" or ch:match("^%s$") then
    return true
  end
  -- `::` is a separator, a lone colon is not
  return ch == ":" and (chars[i - 1] == ":" or chars[i + 1] == ":")
end

-- The pieces of a token, split after `_`, `-`, `/`, `::` and spaces, and before an upper-case letter that follows a
-- lower-case one; nil when it has no such place. Plain words have none, so they are never broken.
function M.pieces(s)
  if ulen(s) < MIN_TOKEN then
    return nil
  end
  local chars = chars_of(s)
  local pieces, current = {}, {}
  local function cut()
    pieces[#pieces + 1] = table.concat(current)
    current = {}
  end
  for i, ch in ipairs(chars) do
    local camel = i > 1 and chars[i - 1]:match("^%l$") and ch:match("^%u$")
    if camel and #current >= MIN_PIECE then
      cut()
    end
    current[#current + 1] = ch
    local next_char = chars[i + 1]
    if next_char and is_separator(chars, i) and not is_separator(chars, i + 1) and #current >= MIN_PIECE then
      cut()
    end
  end
  if #current > 0 then
    if #current < MIN_PIECE and #pieces > 0 then
      pieces[#pieces] = pieces[#pieces] .. table.concat(current)
    else
      cut()
    end
  end
  if #pieces < 2 then
    return nil
  end
  return pieces
end

local function token(pieces, code)
  local quoted = {}
  for i, piece in ipairs(pieces) do
    quoted[i] = typst_string(piece)
  end
  -- The `;` ends the embedded expression, so that text right after it cannot be read as a field or an argument.
  return pandoc.RawInline("typst", "#slate-token((" .. table.concat(quoted, ", ") .. "), code: " .. tostring(code) .. ");")
end

-- Long inline code in prose: may break only where it is wider than the text block.
M.prose_code = {
  Code = function(c)
    if ulen(c.text) < PROSE_CODE then
      return nil
    end
    local pieces = M.pieces(c.text)
    if pieces then
      return token(pieces, true)
    end
  end,
}

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

local function row_texts(row)
  local texts = {}
  for i, cell in ipairs(row.cells) do
    texts[i] = stringify(cell.contents)
  end
  return texts
end

local function is_goal_table(tbl)
  if #tbl.colspecs ~= #GOAL_HEADER or #tbl.head.rows ~= 1 then
    return false
  end
  local texts = row_texts(tbl.head.rows[1])
  for i, name in ipairs(GOAL_HEADER) do
    if texts[i] ~= name then
      return false
    end
  end
  return true
end

-- Cells are data (goal titles, names, identifiers): they keep the quotes and dashes they were written with, so that
-- a title is found by searching for it as written. The reader's `smart` extension made them typographic.
local UNSMART = { ["’"] = "'", ["‘"] = "'", ["“"] = '"', ["”"] = '"', ["–"] = "--", ["—"] = "---", ["…"] = "..." }
local function unsmart(text)
  for smart, plain in pairs(UNSMART) do
    text = text:gsub(smart, plain)
  end
  return text
end
local verbatim = {
  Quoted = function(q)
    local mark = q.quotetype == "DoubleQuote" and '"' or "'"
    local out = pandoc.Inlines({ pandoc.Str(mark) })
    out:extend(q.content)
    out:insert(pandoc.Str(mark))
    return out
  end,
  Str = function(s)
    local text = unsmart(s.text)
    if text ~= s.text then
      return pandoc.Str(text)
    end
  end,
}

-- The longest champion names of every `Goal | Level | Champion | Notes` table (a cell may name several).
function M.longest_champions(doc)
  local seen, names = {}, {}
  doc:walk({
    Table = function(tbl)
      if not is_goal_table(tbl) then
        return nil
      end
      for _, body in ipairs(tbl.bodies) do
        for _, row in ipairs(body.body) do
          local cell = row.cells[CHAMPION_COLUMN]
          local text = cell and unsmart(stringify(cell.contents)) or ""
          for name in (text:gsub(" and ", ",") .. ","):gmatch("%s*([^,]-)%s*,") do
            if name ~= "" and not seen[name] then
              seen[name] = true
              names[#names + 1] = name
            end
          end
        end
      end
    end,
  })
  table.sort(names, function(a, b)
    if ulen(a) ~= ulen(b) then
      return ulen(a) > ulen(b)
    end
    return a < b
  end)
  local longest = {}
  for i = 1, math.min(#names, LONGEST_NAMES) do
    longest[i] = names[i]
  end
  return longest
end

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
  -- proportion (long tokens break where their cell is narrower than they are).
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

-- Tokens of a cell become `#slate-token`, and a cell holding one is wrapped in `#slate-fit`, which knows its width.
local function fit_cell(cell)
  local found = false
  local function replace(text, code)
    local pieces = M.pieces(text)
    if pieces then
      found = true
      return token(pieces, code)
    end
  end
  local contents = cell.contents:walk({
    Str = function(s)
      return replace(s.text, false)
    end,
    Code = function(c)
      return replace(c.text, true)
    end,
  })
  if found and #contents == 1 and (contents[1].t == "Plain" or contents[1].t == "Para") then
    contents[1].content:insert(1, pandoc.RawInline("typst", "#slate-fit["))
    contents[1].content:insert(pandoc.RawInline("typst", "]"))
    cell.contents = contents
  end
  return cell
end

local function is_empty(cell)
  return cell == nil or stringify(cell.contents):match("^%s*$") ~= nil
end

-- Groups the rows of a body: a row whose first cell is empty continues the row above. The leading columns that
-- are empty in every continuation row are merged into the group's first row. Returns the stripe (0 or 1) of each
-- row, by group.
local function group_rows(rows, stripe)
  local stripes, out = {}, {}
  local i = 1
  while i <= #rows do
    local j = i
    while j < #rows and is_empty(rows[j + 1].cells[1]) and not is_empty(rows[i].cells[1]) do
      j = j + 1
    end
    local size = j - i + 1
    if size > 1 and size <= MAX_GROUP then
      local merged = 0
      for c = 1, #rows[i].cells do
        local all_empty = true
        for r = i + 1, j do
          if not is_empty(rows[r].cells[c]) then
            all_empty = false
          end
        end
        if not all_empty then
          break
        end
        merged = c
      end
      for c = 1, merged do
        rows[i].cells[c].row_span = size
      end
      for r = i + 1, j do
        local cells = pandoc.List({})
        for c = merged + 1, #rows[r].cells do
          cells:insert(rows[r].cells[c])
        end
        rows[r].cells = cells
      end
    else
      j = i -- no group, or one too long to keep on a page: rows stand alone
    end
    for r = i, j do
      out[#out + 1] = rows[r]
      stripes[#stripes + 1] = tostring(stripe)
    end
    stripe = 1 - stripe
    i = j + 1
  end
  return out, table.concat(stripes), stripe
end

local table_count = 0

-- Everything a table needs before the Typst writer sees it; `heading` is the text of the heading it sits under.
-- Returns the table with its layout, id, stripes and kind in attributes, read by `wrap`.
function M.prepare(tbl, heading, is_typst)
  local goals = is_goal_table(tbl)
  local layout = goals and LAYOUTS[1] or size_table(tbl)
  tbl.attributes["slate-layout"] = layout.name
  each_row(tbl, function(row)
    for _, cell in ipairs(row.cells) do
      cell.contents = cell.contents:walk(verbatim)
    end
  end)
  if not is_typst then
    return tbl
  end
  table_count = table_count + 1
  local id = "slate-table-" .. table_count
  if goals then
    for c = 1, #tbl.colspecs do
      tbl.colspecs[c] = { tbl.colspecs[c][1], pandoc.ColWidthDefault }
    end
  end
  -- Grouping reads which cells are empty: before tokens become raw Typst, which reads as empty text.
  local stripes, stripe, first_row = {}, 0, nil
  for _, body in ipairs(tbl.bodies) do
    local rows, body_stripes
    rows, body_stripes, stripe = group_rows(body.body, stripe)
    body.body = rows
    stripes[#stripes + 1] = string.rep("0", #body.head) .. body_stripes
    first_row = first_row or rows[1] or body.head[1]
  end
  each_row(tbl, function(row)
    for _, cell in ipairs(row.cells) do
      fit_cell(cell)
    end
  end)
  if first_row ~= nil and #tbl.head.rows > 0 then
    -- The page the table starts on: a label in its first body row. The continuation header compares with it.
    local cell = first_row.cells[1]
    local marker = pandoc.RawInline("typst", "#metadata(none)<" .. id .. ">")
    if #cell.contents > 0 and (cell.contents[1].t == "Plain" or cell.contents[1].t == "Para") then
      cell.contents[1].content:insert(1, marker)
    else
      cell.contents:insert(1, pandoc.Plain({ marker }))
    end
    local label = pandoc.Plain({
      pandoc.RawInline("typst", "#slate-continued(" .. typst_string(id) .. ")["),
      pandoc.Str(heading ~= "" and heading or "Table"),
      pandoc.RawInline("typst", "]"),
    })
    local continued = pandoc.Cell({ label }, pandoc.AlignDefault, 1, #tbl.colspecs)
    tbl.head.rows:insert(1, pandoc.Row({ continued }))
    tbl.attributes["slate-continued"] = "true"
  end
  tbl.attributes["slate-id"] = id
  tbl.attributes["slate-stripes"] = table.concat(stripes)
  tbl.attributes["slate-goals"] = goals and "true" or nil
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

local function strip(tbl)
  for _, key in ipairs({ "slate-layout", "slate-id", "slate-stripes", "slate-goals", "slate-continued" }) do
    tbl.attributes[key] = nil
  end
end

-- Wrap tables in the template's `#slate-table`; landscape only at the top level (a page cannot sit inside a
-- list or a quote). `champions` are the names the Champion column of goal tables must hold.
function M.wrap(blocks, top, champions, is_typst)
  local out = pandoc.Blocks({})
  for _, block in ipairs(blocks) do
    if block.t == "Table" and block.attributes["slate-layout"] ~= nil and is_typst then
      local layout = layout_of(block.attributes["slate-layout"])
      local args = {
        "size: " .. layout.size,
        "landscape: " .. tostring(layout.landscape and top),
        "stripes: " .. typst_string(block.attributes["slate-stripes"] or ""),
        "continued: " .. tostring(block.attributes["slate-continued"] == "true"),
      }
      if block.attributes["slate-goals"] then
        local names = {}
        for i, name in ipairs(champions) do
          names[i] = typst_string(name)
        end
        -- `(x,)` is an array of one; `()` the empty one
        args[#args + 1] = "champions: (" .. table.concat(names, ", ") .. (#names > 0 and ",)" or ")")
      end
      strip(block)
      out:insert(pandoc.RawBlock("typst", "#slate-table(" .. table.concat(args, ", ") .. ")["))
      out:insert(block)
      out:insert(pandoc.RawBlock("typst", "]"))
    else
      if block.t == "Table" then
        strip(block)
      end
      out:insert(block)
    end
  end
  return out
end

return M
