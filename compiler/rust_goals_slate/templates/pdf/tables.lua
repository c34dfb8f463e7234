-- Tables of the PDF, loaded by rfc.lua (see docs/pdf.md, "Tables that fit"). For Typst output:
--
-- * Long tokens (`rustc_codegen_cranelift`): tokens.lua.
-- * The rows of one goal (a first cell left empty continues the row above) become one group: their leading empty cells
--   are merged into the first row's, and the template keeps the group on one page.
-- * A header row above the column titles holds "<heading> (continued)", which the template shows only on the
--   pages after the table's first.
-- * Column widths: columns.lua (the same widths for every table of a kind, full width, empty columns dropped).
--   `Goal | Level | Champion | Notes` tables get the same columns everywhere, the Champion column as wide as the
--   longest champion of the RFC (or none, in a table without champions), Notes the rest.

local stringify = pandoc.utils.stringify
local here = pandoc.path.directory(PANDOC_SCRIPT_FILE)
local columns = dofile(pandoc.path.join({ here, "columns.lua" }))
local tokens = dofile(pandoc.path.join({ here, "tokens.lua" }))

local M = {}

local MAX_GROUP = 20 -- rows; a longer group is not kept on one page
local CHAMPION_COLUMN = 3
local SUBGOAL = "↳" -- a row whose first cell starts with this is a part of the goal above (2025 formats)
local LONGEST_NAMES = 5 -- the template measures these and sizes the Champion column for the widest

local ulen = columns.ulen
local LAYOUTS = columns.LAYOUTS

M.typst_string = tokens.typst_string
local typst_string = M.typst_string
M.prose_code = tokens.prose_code
local fit_cell = tokens.fit_cell

local each_row = columns.each_row

-- The longest champion names of every `Goal | Level | Champion | Notes` table (a cell may name several).
function M.longest_champions(doc)
  local seen, names = {}, {}
  doc:walk({
    Table = function(tbl)
      if not columns.is_goal_table(tbl) then
        return nil
      end
      for _, body in ipairs(tbl.bodies) do
        for _, row in ipairs(body.body) do
          local cell = row.cells[CHAMPION_COLUMN]
          local text = cell and stringify(cell.contents) or ""
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

local function is_empty(cell)
  return cell == nil or stringify(cell.contents):match("^%s*$") ~= nil
end

-- A row continues the goal above it: its first cell is empty (size tables, goals by champion), or starts with
-- "↳" (a sub-goal's asks in the 2025 formats).
local function continues(row)
  local cell = row.cells[1]
  return is_empty(cell) or stringify(cell.contents):sub(1, #SUBGOAL) == SUBGOAL
end

-- Groups the rows of a body: a row continues the row above as `continues` says. The leading columns that
-- are empty in every continuation row are merged into the group's first row (a cell spanning rows is never split
-- across pages, so neither is the group). Returns the rows, the stripe (0 or 1) of each row, by group, the next
-- stripe, the rows each row's group spans from it (0 inside a group), and whether a group has no empty leading
-- column to merge (a "↳" row's goal), so that `keep_groups` must hold it together.
local function group_rows(rows, stripe)
  local stripes, out, spans = {}, {}, {}
  local unmerged = false
  local i = 1
  while i <= #rows do
    local j = i
    while j < #rows and continues(rows[j + 1]) and not continues(rows[i]) do
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
      unmerged = unmerged or merged == 0
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
      spans[#spans + 1] = r == i and j - i + 1 or 0
    end
    stripe = 1 - stripe
    i = j + 1
  end
  return out, table.concat(stripes), stripe, spans, unmerged
end

-- A last column of no width whose cells span each group: what holds a group with no empty leading column on one
-- page. Its cells are empty, so the text layer does not change.
local KEEPER_WIDTH = 0.0001
local function keep_groups(tbl, spans)
  tbl.colspecs:insert({ pandoc.AlignDefault, KEEPER_WIDTH })
  for _, row in ipairs(tbl.head.rows) do
    row.cells:insert(pandoc.Cell({}))
  end
  for b, body in ipairs(tbl.bodies) do
    for _, row in ipairs(body.head) do
      row.cells:insert(pandoc.Cell({}))
    end
    for r, row in ipairs(body.body) do
      if spans[b][r] > 0 then
        row.cells:insert(pandoc.Cell({}, pandoc.AlignDefault, spans[b][r], 1))
      end
    end
  end
  return #tbl.colspecs - 1
end

local table_count = 0

-- Before any table is prepared: empty columns dropped, and every kind of table measured over all its tables, so
-- that the tables of one kind get the same widths. A goal table keeps, in `slate-goals`, the kinds of the columns it
-- still has. Returns the document and the statistics by kind.
function M.survey(doc)
  local stats = {}
  doc = doc:walk({
    Table = function(tbl)
      local goals = columns.is_goal_table(tbl)
      local kept = columns.drop_empty_columns(tbl)
      if goals then
        local kinds = {}
        for i, c in ipairs(kept) do
          kinds[i] = columns.GOAL_KINDS[c]
        end
        tbl.attributes["slate-goals"] = table.concat(kinds, ",")
      else
        columns.measure(tbl, stats)
      end
      return tbl
    end,
  })
  return doc, stats
end

-- Everything a table needs before the Typst writer sees it; `heading` is the text of the heading it sits under,
-- `stats` what `survey` measured. Returns the table with its layout, id, stripes and kind in attributes, read by
-- `wrap`.
function M.prepare(tbl, heading, is_typst, stats)
  local goals = tbl.attributes["slate-goals"] ~= nil
  local layout = LAYOUTS[1]
  if not goals then
    layout = columns.size(tbl, stats[columns.kind(tbl)])
  end
  tbl.attributes["slate-layout"] = layout.name
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
  local stripes, stripe, first_row, spans, unmerged = {}, 0, nil, {}, false
  for b, body in ipairs(tbl.bodies) do
    local rows, body_stripes, body_unmerged
    rows, body_stripes, stripe, spans[b], body_unmerged = group_rows(body.body, stripe)
    body.body = rows
    stripes[#stripes + 1] = string.rep("0", #body.head) .. body_stripes
    first_row = first_row or rows[1] or body.head[1]
    unmerged = unmerged or body_unmerged
  end
  if unmerged and not goals then
    tbl.attributes["slate-keeper"] = tostring(keep_groups(tbl, spans))
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
  for _, key in ipairs({ "slate-layout", "slate-id", "slate-stripes", "slate-goals", "slate-continued", "slate-keeper" }) do
    tbl.attributes[key] = nil
  end
end

local INTRO_PARAGRAPHS = 2 -- a heading's intro before its table: at most this many paragraphs

-- The paragraphs between a heading and the table it introduces: they must stay with the table's first rows (the
-- heading stays with them by itself: Typst headings are sticky).
local function intro_paragraphs(blocks)
  local sticky = {}
  for i, block in ipairs(blocks) do
    if block.t == "Header" then
      local j = i + 1
      while j <= #blocks and j - i - 1 < INTRO_PARAGRAPHS and (blocks[j].t == "Para" or blocks[j].t == "Plain") do
        j = j + 1
      end
      if j > i + 1 and blocks[j] ~= nil and blocks[j].t == "Table" then
        for k = i + 1, j - 1 do
          sticky[k] = true
        end
      end
    end
  end
  return sticky
end

-- Wrap tables in the template's `#slate-table`; landscape only at the top level (a page cannot sit inside a
-- list or a quote). `champions` are the names the Champion column of goal tables must hold. A heading's intro
-- paragraphs become sticky blocks, which Typst moves to the next page with the table's first rows.
function M.wrap(blocks, top, champions, is_typst)
  local out = pandoc.Blocks({})
  local sticky = is_typst and intro_paragraphs(blocks) or {}
  for i, block in ipairs(blocks) do
    if sticky[i] then
      out:insert(pandoc.RawBlock("typst", "#block(sticky: true)["))
      out:insert(block)
      out:insert(pandoc.RawBlock("typst", "]"))
      goto continue
    end
    if block.t == "Table" and block.attributes["slate-layout"] ~= nil and is_typst then
      local layout = layout_of(block.attributes["slate-layout"])
      local args = {
        "size: " .. layout.size,
        "landscape: " .. tostring(layout.landscape and top),
        "stripes: " .. typst_string(block.attributes["slate-stripes"] or ""),
        "continued: " .. tostring(block.attributes["slate-continued"] == "true"),
      }
      if block.attributes["slate-keeper"] then
        args[#args + 1] = "keeper: " .. math.tointeger(tonumber(block.attributes["slate-keeper"]))
      end
      if block.attributes["slate-goals"] then
        -- `(x,)` is an array of one; `()` the empty one
        local function array(items)
          local quoted = {}
          for i, item in ipairs(items) do
            quoted[i] = typst_string(item)
          end
          return "(" .. table.concat(quoted, ", ") .. (#quoted > 0 and ",)" or ")")
        end
        local kinds = {}
        for kind in block.attributes["slate-goals"]:gmatch("[^,]+") do
          kinds[#kinds + 1] = kind
        end
        args[#args + 1] = "champions: " .. array(champions)
        args[#args + 1] = "goal-columns: " .. array(kinds)
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
    ::continue::
  end
  return out
end

return M
