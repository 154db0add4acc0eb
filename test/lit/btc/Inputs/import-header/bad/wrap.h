// Includes a header with an error: shown at the import of this one.
#include "worse.h"
