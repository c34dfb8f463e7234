-- Column widths of the PDF's tables, loaded by tables.lua (see docs/pdf.md, "Tables that fit"):
--
-- * A column with no content in any body row is dropped (a team table whose goals have no champion has no
--   Champion column).
-- * Tables of one kind (the same column titles) are measured together and get the same widths, so that their
--   columns sit at the same x on every page (the three size tables, the team-ask tables of a format).
-- * Every table is full width: each column gets at least its longest word; a column holding only marks (✅) is
--   as narrow as its title's longest word; the Goal column gets at least a minimum; the rest of the line goes to
--   the columns with the most to say.
-- * `Goal | Level | Champion | Notes` tables are sized by the template, which measures the names (`goal_columns`).

local stringify = pandoc.utils.stringify

local M = {}

-- Characters per line of the text block, by table layout (A4, 2 cm margins, Libertinus Serif).
M.LAYOUTS = {
  { name = "normal", chars = 105, size = "9pt", landscape = false },
  { name = "narrow", chars = 120, size = "8pt", landscape = false },
  { name = "landscape", chars = 180, size = "8pt", landscape = true },
  { name = "landscape-narrow", chars = 205, size = "7pt", landscape = true },
}
local NARROW_COLUMNS = 6 -- tables with at least this many columns use small type
local LANDSCAPE_COLUMNS = 9 -- ... and with at least this many, a landscape page
local CELL_WORD = 18 -- a column needs at least its longest word, up to this many characters
local SHORT_CELL = 24 -- a column whose cells are all this short would rather not wrap
local GOAL_MIN = 30 -- characters: the Goal column never narrower (a title wraps to two or three lines, not five)
local MARK_CELL = 3 -- a cell this short without a letter or digit is a mark (✅, ✔️)
M.GOAL_HEADER = { "Goal", "Level", "Champion", "Notes" }
M.GOAL_KINDS = { "goal", "level", "champion", "notes" }

local function ulen(s)
  return utf8.len(s) or #s
end
M.ulen = ulen

function M.each_row(tbl, fn)
  for _, row in ipairs(tbl.head.rows) do
    fn(row, true)
  end
  for _, body in ipairs(tbl.bodies) do
    for _, row in ipairs(body.head) do
      fn(row, true)
    end
    for _, row in ipairs(body.body) do
      fn(row, false)
    end
  end
  for _, row in ipairs(tbl.foot.rows) do
    fn(row, false)
  end
end
local each_row = M.each_row

local function titles(tbl)
  local texts = {}
  local row = tbl.head.rows[#tbl.head.rows]
  for i, cell in ipairs(row and row.cells or {}) do
    texts[i] = stringify(cell.contents)
  end
  return texts
end

local function plain_grid(tbl)
  local ok = #tbl.head.rows == 1 and #tbl.foot.rows == 0
  each_row(tbl, function(row)
    if #row.cells ~= #tbl.colspecs then
      ok = false
    end
    for _, cell in ipairs(row.cells) do
      if (cell.col_span or 1) ~= 1 or (cell.row_span or 1) ~= 1 then
        ok = false
      end
    end
  end)
  return ok
end

function M.is_goal_table(tbl)
  if #tbl.colspecs ~= #M.GOAL_HEADER or #tbl.head.rows ~= 1 then
    return false
  end
  local texts = titles(tbl)
  for i, name in ipairs(M.GOAL_HEADER) do
    if texts[i] ~= name then
      return false
    end
  end
  return true
end

local function is_mark(text)
  return text ~= "" and ulen(text) <= MARK_CELL and not text:find("%w")
end

local function blank(cell)
  return cell == nil or stringify(cell.contents):match("^%s*$") ~= nil
end

-- Drops the columns (but the first) that no body row fills; returns the indices of the columns kept.
function M.drop_empty_columns(tbl)
  local n = #tbl.colspecs
  local kept = {}
  if not plain_grid(tbl) then
    for c = 1, n do
      kept[c] = c
    end
    return kept
  end
  for c = 1, n do
    local used = c == 1
    for _, body in ipairs(tbl.bodies) do
      for _, row in ipairs(body.body) do
        used = used or not blank(row.cells[c])
      end
    end
    if used then
      kept[#kept + 1] = c
    end
  end
  if #kept == n or #kept < 2 then
    for c = 1, n do
      kept[c] = c
    end
    return kept
  end
  local colspecs = {}
  for i, c in ipairs(kept) do
    colspecs[i] = tbl.colspecs[c]
  end
  tbl.colspecs = colspecs
  each_row(tbl, function(row)
    local cells = pandoc.List({})
    for _, c in ipairs(kept) do
      cells:insert(row.cells[c])
    end
    row.cells = cells
  end)
  return kept
end

-- What a kind of table needs, per column, over all its tables: longest cell, longest word (capped), cell
-- lengths' sum and count, whether its body holds only marks, its title's longest word.
local function new_stats(n)
  local stats = { n = n, longest = {}, word = {}, sum = {}, count = {}, mark = {}, title = {}, goal = {} }
  for c = 1, n do
    stats.longest[c], stats.word[c], stats.sum[c], stats.count[c] = 1, 1, 0, 0
    stats.mark[c], stats.title[c], stats.goal[c] = nil, 1, false
  end
  return stats
end

-- Tables of a kind have the same column titles, and the same columns holding only marks.
function M.kind(tbl)
  local marks = {}
  for c = 1, #tbl.colspecs do
    local only = true
    for _, body in ipairs(tbl.bodies) do
      for _, row in ipairs(body.body) do
        local text = row.cells[c] and stringify(row.cells[c].contents) or ""
        only = only and (text:match("^%s*$") ~= nil or is_mark(text))
      end
    end
    marks[c] = only and "m" or "t"
  end
  return table.concat(marks) .. "|" .. table.concat(titles(tbl), "|")
end

function M.measure(tbl, all)
  local key = M.kind(tbl)
  local n = #tbl.colspecs
  local stats = all[key] or new_stats(n)
  all[key] = stats
  for c, text in ipairs(titles(tbl)) do
    for w in text:gmatch("%S+") do
      stats.title[c] = math.max(stats.title[c], math.min(ulen(w), CELL_WORD))
    end
    stats.goal[c] = c == 1 and text == "Goal"
  end
  each_row(tbl, function(row, is_head)
    local c = 1
    for _, cell in ipairs(row.cells) do
      local span = cell.col_span or 1
      if span == 1 and c <= n then
        local text = stringify(cell.contents)
        local length = ulen(text)
        stats.longest[c] = math.max(stats.longest[c], length)
        stats.sum[c], stats.count[c] = stats.sum[c] + length, stats.count[c] + 1
        for w in text:gmatch("%S+") do
          stats.word[c] = math.max(stats.word[c], math.min(ulen(w), CELL_WORD))
        end
        if not is_head and not text:match("^%s*$") then
          stats.mark[c] = stats.mark[c] ~= false and is_mark(text)
        end
      end
      c = c + span
    end
  end)
end

-- Column widths of `tbl` (as fractions of the line) from the statistics of its kind; returns the layout chosen.
function M.size(tbl, stats)
  local n = #tbl.colspecs
  local base, desire, minimum, want = {}, {}, 0, 0
  for c = 1, n do
    local mark = stats.mark[c] == true
    base[c] = (mark and stats.title[c] or stats.word[c]) + 2
    if stats.goal[c] then
      base[c] = math.max(base[c], GOAL_MIN)
    end
    minimum = minimum + base[c]
    local mean = stats.count[c] > 0 and stats.sum[c] / stats.count[c] or 0
    local target = stats.longest[c] + 2 -- short cells (names, levels) are best not wrapped at all
    if target > SHORT_CELL then
      target = math.min(math.max(0.4 * stats.longest[c] + 0.6 * mean, SHORT_CELL), 60)
    end
    desire[c] = mark and 0 or math.max(target - base[c], 0)
    want = want + desire[c]
  end
  local layout = M.LAYOUTS[1]
  if n >= LANDSCAPE_COLUMNS then
    layout = M.LAYOUTS[3]
  elseif n >= NARROW_COLUMNS then
    layout = M.LAYOUTS[2]
  end
  for i = 1, #M.LAYOUTS do
    if M.LAYOUTS[i] == layout and minimum > layout.chars and M.LAYOUTS[i + 1] then
      layout = M.LAYOUTS[i + 1]
    end
  end
  -- The line's rest goes to the columns by what they would like; when none wants more (all fit), to the columns
  -- that are not marks, evenly. No rest: every column shrinks in proportion (long tokens break where their cell
  -- is narrower than they are).
  local spare, widths, total = math.max(layout.chars - minimum, 0), {}, 0
  local open = 0
  for c = 1, n do
    if stats.mark[c] ~= true then
      open = open + 1
    end
  end
  for c = 1, n do
    local extra = 0
    if want > 0 then
      extra = spare * desire[c] / want
    elseif stats.mark[c] ~= true and open > 0 then
      extra = spare / open
    end
    widths[c] = base[c] + extra
    total = total + widths[c]
  end
  for c = 1, n do
    tbl.colspecs[c] = { tbl.colspecs[c][1], widths[c] / total }
  end
  return layout
end

return M
