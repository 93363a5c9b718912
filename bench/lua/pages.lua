-- GET the same list, rotating `page` over 1..N; each thread starts at a different page.
--   wrk ... -s bench/lua/pages.lua 'http://127.0.0.1:PORT/api/public/v1/enrollments' \
--       -- '/api/public/v1/enrollments?query%5Bcourse_id%5D=7&page=' 100
local here = debug.getinfo(1, "S").source:sub(2):match("(.*/)") or "./"
dofile(here .. "report.lua")

local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("thread_number", threads)
end

local prefix = nil
local pages = 1
local page = 0

function init(args)
  prefix = args[1]
  pages = tonumber(args[2]) or 1
  page = ((thread_number or 1) - 1) * 7919 % pages
end

function request()
  page = page % pages + 1
  return wrk.format("GET", prefix .. page)
end
