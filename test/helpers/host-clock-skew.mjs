// Preload (`node --import`) for a process whose host clock is off by ATS_TEST_CLOCK_SKEW_MS
// milliseconds (positive: ahead), as a host whose NTP is broken would be: Date.now, which the kit
// and its libraries read, answers from that clock.
const skewMs = Number(process.env.ATS_TEST_CLOCK_SKEW_MS ?? 0);
const hostNow = Date.now;
Date.now = () => hostNow() + skewMs;
