# https://apis-storage.worksmobile.com/k/emsg/r/jp1/1628695315008671000.1628781715.0.1000001.0.0.0/
output "download_url" {
  value = provider::lineworks::attachment_url("jp1.1628695315008671000.1628781715.0.1000001.0.0.0")
}
