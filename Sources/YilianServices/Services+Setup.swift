import YilianRepository

// What a front end needs from below the services to set itself up: where the database is, the
// embedded cluster, the migrations and the pool. Named here, so that the front ends import the
// services and nothing under them.
public typealias Database = YilianRepository.Database
public typealias DatabaseLocation = YilianRepository.DatabaseLocation
public typealias EmbeddedCluster = YilianRepository.EmbeddedCluster
public typealias Migration = YilianRepository.Migration
public typealias SchemaStatus = YilianRepository.SchemaStatus
public typealias ServerStatus = YilianRepository.ServerStatus
