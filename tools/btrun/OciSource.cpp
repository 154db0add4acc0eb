#include "OciSource.h"

#include "bt/Object/Integrity.h"
#include "bt/Oci/Layout.h"
#include "bt/Runtime/ObjectReader.h"

namespace bt {

rt::Result<std::vector<uint8_t>> readOciObject(const std::string &name) {
  // As skopeo's oci: transport: the directory ends at the first colon after "oci:".
  std::string rest = name.substr(4);
  auto colon = rest.find(':');
  std::string dir = rest.substr(0, colon);
  std::string tag = colon == std::string::npos ? "" : rest.substr(colon + 1);
  if (dir.empty())
    return rt::Error(name + ": no layout directory (oci:DIR[:TAG])");
  oci::ImageContent image;
  if (auto e = oci::readLayout(dir, tag, image); !e.empty())
    return rt::Error(e);
  auto object = rt::readObjectBytes(name, image.object);
  if (!object)
    return std::move(object).error();
  const std::string &text = object->manifestText;
  std::string digest = obj::sha256Hex(reinterpret_cast<const uint8_t *>(text.data()), text.size());
  if (digest != image.labels[oci::kManifestDigestLabel])
    return rt::Error(name + ": the object's manifest has digest " + digest + ", the label " +
                     oci::kManifestDigestLabel + " says " + image.labels[oci::kManifestDigestLabel]);
  return std::move(image.object);
}

} // namespace bt
