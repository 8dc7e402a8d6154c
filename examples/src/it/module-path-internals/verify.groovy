// The build must have failed because each package is not visible, not for any other reason.
def log = new File(basedir, 'build.log').text
['io.regionrouter.core.support', 'io.regionrouter.core.internal', 'io.regionrouter.jdbc.internal',
 'io.regionrouter.redis.internal'].each { pkg ->
    assert log.contains("package ${pkg} is not visible") || log.contains("package ${pkg} is declared in module") :
            "expected ${pkg} to be refused as not visible"
}
assert !log.contains('cannot find symbol') : 'the build failed for another reason'
return true
