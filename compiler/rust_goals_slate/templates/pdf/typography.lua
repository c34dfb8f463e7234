-- Smart punctuation for the PDF, loaded by rfc.lua, applied per element (see docs/pdf.md, "Punctuation"):
--
-- * Quotes, in prose and table cells alike: a straight " or ' becomes “ ” or ‘ ’ from what precedes it. An
--   apostrophe inside a word (Rust's, d'Antras) stays as written, in cells and prose alike: a search for a name
--   typed on a keyboard finds it everywhere.
-- * Dashes and ellipses, in prose only: `---`, `--` and `...` become —, – and …, except a `--` opening a word that
--   goes on with a letter (a command-line option such as --release). A table cell prints what the source says:
--   its `--` stays `--` and its "—" stays "—".
-- * Code, inline or in blocks, is never touched; characters typed typographic in the source are kept everywhere.
--
-- pandoc's own `smart` extension is not used: it cannot be turned off for table cells, and once it has run, a "—"
-- it made cannot be told from one the source had.

local M = {}

-- After these (or at the start of a list, or after a space), a quote opens; after anything else it closes.
local OPENERS = { ["("] = true, ["["] = true, ["{"] = true, ["-"] = true, ["–"] = true, ["—"] = true, ["/"] = true }
OPENERS["‘"] = true
OPENERS["“"] = true

local function quotes_in(text, opening)
  local out = {}
  local chars = {}
  for _, cp in utf8.codes(text) do
    chars[#chars + 1] = utf8.char(cp)
  end
  for i, ch in ipairs(chars) do
    local in_word = i > 1 and chars[i - 1]:match("^%w$") and (chars[i + 1] or ""):match("^%a$")
    if ch == "'" and not in_word then
      ch = opening and "‘" or "’"
    elseif ch == '"' then
      ch = opening and "“" or "”"
    end
    out[#out + 1] = ch
    opening = OPENERS[ch] == true or ch:match("^%s$") ~= nil
  end
  return table.concat(out), opening
end

local BREAKS = { Space = true, SoftBreak = true, LineBreak = true }

-- Quotes in one list of inlines: whether a quote opens depends on the inline before it (a space, or text).
function M.quotes(inlines)
  local opening = true
  for i, el in ipairs(inlines) do
    if el.t == "Str" then
      local text
      text, opening = quotes_in(el.text, opening)
      if text ~= el.text then
        inlines[i] = pandoc.Str(text)
      end
    else
      opening = BREAKS[el.t] == true
    end
  end
  return inlines
end

local function dashes_in(text)
  local option = text:match("^%-%-%a") ~= nil
  local head = ""
  if option then
    head, text = "--", text:sub(3)
  end
  text = text:gsub("%-%-%-", "—"):gsub("%-%-", "–"):gsub("%.%.%.", "…")
  return head .. text
end

-- Dashes and ellipses in one list of inlines (prose only).
function M.dashes(inlines)
  for i, el in ipairs(inlines) do
    if el.t == "Str" and (el.text:find("--", 1, true) or el.text:find("...", 1, true)) then
      local text = dashes_in(el.text)
      if text ~= el.text then
        inlines[i] = pandoc.Str(text)
      end
    end
  end
  return inlines
end

-- In Typst markup `...` is the ellipsis shorthand, and pandoc's Typst writer does not escape it: in a cell, whose
-- `...` must stay three full stops, the third is written `\.` (Typst's escape prints the character itself).
local function three_dots(inlines)
  local out, changed = pandoc.Inlines({}), false
  for _, el in ipairs(inlines) do
    if el.t == "Str" and el.text:find("...", 1, true) then
      changed = true
      local rest = el.text
      while true do
        local at = rest:find("...", 1, true)
        if not at then
          break
        end
        out:insert(pandoc.Str(rest:sub(1, at + 1)))
        out:insert(pandoc.RawInline("typst", "\\."))
        rest = rest:sub(at + 3)
      end
      if rest ~= "" then
        out:insert(pandoc.Str(rest))
      end
    else
      out:insert(el)
    end
  end
  return changed and out or nil
end

-- The whole document: quotes everywhere, dashes and ellipses outside tables. Code has no Str, so it is left alone.
function M.apply(doc, is_typst)
  return doc:walk({
    traverse = "topdown",
    Table = function(tbl)
      tbl = tbl:walk({ Inlines = M.quotes })
      if is_typst then
        tbl = tbl:walk({ Inlines = three_dots })
      end
      return tbl, false
    end,
    Inlines = function(inlines)
      return M.quotes(M.dashes(inlines))
    end,
  })
end

return M
