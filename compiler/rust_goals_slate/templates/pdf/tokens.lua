-- Long tokens of the PDF, loaded by tables.lua (see docs/pdf.md, "Long tokens"): a token such as
-- `rustc_codegen_cranelift` or `aarch64-unknown-linux-pauthtest` in a table cell (or inline code over 40 characters
-- in prose) becomes `#slate-token(pieces)`: the template draws it whole, unless the cell it sits in is narrower than
-- the token; then as adjacent boxes, one per piece, which a line may break between. Nothing is inserted into the
-- text: no zero-width space, no soft hyphen.

local M = {}

local MIN_TOKEN = 6 -- shorter tokens are left to Typst
local MIN_PIECE = 2 -- no piece of a broken token is shorter than this
local PROSE_CODE = 40 -- inline code outside tables this long may break where it is wider than the text

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

-- Tokens of a cell become `#slate-token`, and a cell holding one is wrapped in `#slate-fit`, which knows its width.
function M.fit_cell(cell)
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

return M
