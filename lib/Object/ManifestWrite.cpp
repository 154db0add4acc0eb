// The manifest's text as btc stores it. Apart from the readers (Json.cpp) because the
// sorted form goes through nlohmann::json (std::map objects): btrun never writes a
// manifest, so it links no second JSON instantiation.
#include "bt/Object/Json.h"

namespace bt::obj {

std::string writeManifest(const Manifest &m) {
  // Keys sorted: the stored text does not depend on the order the writers add keys in.
  nlohmann::json sorted = Json(m);
  return sorted.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

} // namespace bt::obj
