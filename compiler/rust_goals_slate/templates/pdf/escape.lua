-- Goal text stays text in the Typst output (loaded by rfc.lua, run last; see docs/security.md, "Goal text in the PDF").
--
-- pandoc's Typst writer prints emphasis, strong, strikeout, links, notes, images and the filter's own badges as
-- embedded expressions (`#strong[x]`, `#link("u")[x]`). Typst keeps reading an embedded expression as long as what
-- follows directly continues it: `(` or `[` (arguments), `.name` (a field or a method), `;` (ends it, swallowed).
-- The writer escapes `(`, `[` and `;` there, but not `.`: `**x**.at(0)` became the method call `#strong[x].at(0)`.
-- So the first character of a Str that directly follows any element other than text and spaces is escaped here
-- (`\.`) when it could continue an expression, whatever the writer does. `\c` is Typst's escape of any character:
-- it prints `c`, so the PDF and its text layer are unchanged.

local M = {}

-- Elements after which the writer prints plain text (no expression ends there).
local TEXT = { Str = true, Space = true, SoftBreak = true, LineBreak = true }

-- Whether `text` starts with something that would continue an embedded expression: `(`, `[`, `;`, or a `.` followed
-- by a character that may start an identifier (a letter, `_`, or any non-ASCII character, to be safe).
local function continues(text)
  local first = text:sub(1, 1)
  if first == "(" or first == "[" or first == ";" then
    return true
  end
  return first == "." and text:sub(2, 2):match("^[%a_\128-\255]$") ~= nil
end

function M.Inlines(inlines)
  local out, changed = pandoc.Inlines({}), false
  for i, el in ipairs(inlines) do
    local prev = inlines[i - 1]
    if el.t == "Str" and prev ~= nil and not TEXT[prev.t] and continues(el.text) then
      out:insert(pandoc.RawInline("typst", "\\" .. el.text:sub(1, 1)))
      if #el.text > 1 then
        out:insert(pandoc.Str(el.text:sub(2)))
      end
      changed = true
    else
      out:insert(el)
    end
  end
  if changed then
    return out
  end
end

return M
