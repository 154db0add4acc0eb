// Included by cdefs.bt with quotes: found beside it.
#define LOCAL_WIDTH 5
