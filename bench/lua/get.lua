-- A fixed GET (the URL and the -H headers given to wrk); only adds the JSON report.
--   wrk -t2 -c32 -d10s --latency -H 'X-Auth-API-Key: KEY' -H 'X-Auth-Subdomain: SUB' \
--       -s bench/lua/get.lua http://127.0.0.1:PORT/api/public/v1/users/1
local here = debug.getinfo(1, "S").source:sub(2):match("(.*/)") or "./"
dofile(here .. "report.lua")
