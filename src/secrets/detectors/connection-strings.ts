/** Credentials in URLs and connection strings: database URLs, JDBC, ADO.NET/ODBC, URL basic auth, .netrc. */
import type { DetectorEntry, Example } from '../detector.js';
import { entry, ref } from './patterns.js';

/**
 * `scheme://user:password@host`. User and password classes exclude the delimiters that end them.
 * The keywords are the schemes with their `://`: a bare `redis` or `postgres` is everywhere in the code
 * of those projects and would open a window at every mention.
 */
function dbUrl(
  id: string,
  title: string,
  schemes: string[],
  references: string[],
  examples: DetectorEntry['examples'],
  keywords = schemes.map((s) => `${s.replace(/\\/g, '')}://`),
  identityKind = 'database-user',
): DetectorEntry {
  return entry({
    id,
    title,
    provider: 'database',
    family: 'url-credential',
    keywords,
    identityKind,
    priority: 30,
    minEntropy: 0,
    validators: ['url-password'],
    pattern: new RegExp(
      `(?<![A-Za-z0-9+.-])(?:${schemes.join('|')})://(?<user>[^\\s:@/"'<>\`]{0,128}):(?<secret>[^\\s/"'<>\`]{1,256})@(?<host>[A-Za-z0-9._\\-\\[\\]:%]{1,255})`,
      'i',
    ),
    references,
    examples,
  });
}

/** Positive: the URL with a random password; negatives: a placeholder password and a template reference. */
function urlExamples(scheme: string, rest: string, extra: Example[] = []): DetectorEntry['examples'] {
  return {
    positive: [`DATABASE_URL=${scheme}://svc_app:{password}@${rest}\n`, ...extra],
    negative: [`DATABASE_URL=${scheme}://user:<password>@${rest}\n`, `DATABASE_URL=${scheme}://svc_app:\${DB_PASSWORD}@${rest}\n`],
  };
}

export const connectionStringDetectors: DetectorEntry[] = [
  dbUrl(
    'postgres-url-password',
    'PostgreSQL connection URL with password',
    ['postgres', 'postgresql', 'postgis'],
    ['https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-CONNSTRING-URIS', ref.kingfisher('postgres')],
    urlExamples('postgresql', 'db-prod.internal:5432/app'),
  ),
  dbUrl(
    'mysql-url-password',
    'MySQL / MariaDB connection URL with password',
    ['mysql', 'mysql2', 'mysqlx', 'mariadb'],
    ['https://dev.mysql.com/doc/refman/8.0/en/connecting-using-uri-or-key-value-pairs.html', ref.kingfisher('mysql')],
    urlExamples('mysql', 'mysql.internal:3306/app'),
  ),
  dbUrl(
    'mongodb-url-password',
    'MongoDB connection URL with password',
    ['mongodb', 'mongodb\\+srv'],
    ['https://www.mongodb.com/docs/manual/reference/connection-string/', ref.kingfisher('mongodb')],
    urlExamples('mongodb+srv', 'cluster0.abcd1.mongodb.net/app', [
      'MONGO_URI=mongodb://svc_app:{password}@mongo-0.internal:27017,mongo-1.internal:27017/app?replicaSet=rs0\n',
    ]),
  ),
  dbUrl(
    'redis-url-password',
    'Redis connection URL with password',
    ['redis', 'rediss'],
    ['https://www.iana.org/assignments/uri-schemes/prov/redis'],
    urlExamples('rediss', 'cache.internal:6380/0', ['REDIS_URL=redis://:{password}@cache.internal:6379/0\n']),
  ),
  dbUrl(
    'amqp-url-password',
    'AMQP (RabbitMQ) connection URL with password',
    ['amqp', 'amqps'],
    ['https://www.rabbitmq.com/docs/uri-spec'],
    urlExamples('amqps', 'mq.internal:5671/vhost'),
  ),
  dbUrl(
    'mssql-url-password',
    'SQL Server connection URL with password',
    ['mssql', 'sqlserver'],
    ['https://learn.microsoft.com/sql/connect/jdbc/building-the-connection-url'],
    urlExamples('sqlserver', 'sql.internal:1433/app'),
  ),
  {
    ...dbUrl(
      'url-basic-auth',
      'URL with embedded username and password',
      ['https?', 'ftps?', 'sftp', 'ssh', 'git', 'ldaps?', 'smtps?', 'nats', 'mqtts?', 'kafka', 'neo4j', 'couchdb', 'clickhouse', 'snowflake'],
      ['https://www.rfc-editor.org/rfc/rfc3986#section-3.2.1', ref.gitleaks('generic')],
      urlExamples('https', 'git.corp.internal/team/repo.git', ['smtp_url = smtps://mailer:{password}@smtp.corp.internal:465\n']),
      [
        'http://',
        'https://',
        'ftp://',
        'ftps://',
        'sftp://',
        'ssh://',
        'git://',
        'ldap://',
        'ldaps://',
        'smtp://',
        'smtps://',
        'nats://',
        'mqtt://',
        'mqtts://',
        'kafka://',
        'neo4j://',
        'couchdb://',
        'clickhouse://',
        'snowflake://',
      ],
      'service-account',
    ),
    priority: 20,
  },
  entry({
    id: 'jdbc-url-password',
    title: 'JDBC URL with password parameter',
    provider: 'database',
    family: 'url-credential',
    keywords: ['jdbc:'],
    pattern: /jdbc:[a-z0-9]{2,20}:[^\s"'<>]{0,300}?[?&;]password=(?<secret>[^&;\s"'<>]{1,256})/i,
    validators: ['password-value'],
    identityKind: 'database-user',
    priority: 30,
    minEntropy: 0,
    references: ['https://docs.oracle.com/javase/tutorial/jdbc/basics/connecting.html'],
    examples: {
      positive: [
        'spring.datasource.url=jdbc:postgresql://db.internal:5432/app?user=svc&password={password}\n',
        'url=jdbc:sqlserver://sql.internal:1433;databaseName=app;user=svc;password={password}\n',
      ],
      negative: ['url=jdbc:postgresql://db.internal:5432/app?user=svc&password=${DB_PASSWORD}\n'],
    },
  }),
  entry({
    id: 'connection-string-password',
    title: 'Database connection string with password (ADO.NET / ODBC style)',
    provider: 'database',
    family: 'url-credential',
    keywords: ['password=', 'pwd='],
    pattern: /(?<![A-Za-z0-9_])(?:password|pwd)[ \t]{0,2}=[ \t]{0,2}(?<secret>[^;"'\s<>]{1,256})/i,
    validators: ['connection-string'],
    identityKind: 'database-user',
    priority: 25,
    minEntropy: 0,
    references: ['https://learn.microsoft.com/dotnet/framework/data/adonet/connection-string-syntax', ref.kingfisher('odbc')],
    examples: {
      positive: [
        '"Sql": "Server=tcp:sql.internal,1433;Initial Catalog=app;User ID=svc;Password={password};"\n',
        'DSN=prod;UID=svc;PWD={password};\n',
        'Driver={ODBC Driver 18 for SQL Server};Server=sql.internal;Database=app;Uid=svc;Pwd={password};\n',
      ],
      negative: ['Server=sql.internal;Database=app;User ID=svc;Password=<password>;\n', 'password={password}\n'],
    },
  }),
  entry({
    id: 'netrc-password',
    title: '.netrc machine password',
    provider: 'generic',
    family: 'url-credential',
    keywords: ['machine', 'default login'],
    // machine HOST [port N] login USER [account A] password PASS, on one line or several; or `default login … password …`.
    pattern:
      /(?:machine\s{1,10}(?<host>[^\s]{1,255})(?:\s{1,10}port\s{1,10}\d{1,5})?|default)\s{1,10}login\s{1,10}(?<user>[^\s]{1,255})(?:\s{1,10}account\s{1,10}[^\s]{1,255})?\s{1,10}password\s{1,10}(?<secret>[^\s]{1,255})/,
    validators: ['url-password'],
    identityKind: 'service-account',
    window: { linesAfter: 4 },
    priority: 30,
    minEntropy: 0,
    references: ['https://www.gnu.org/software/inetutils/manual/html_node/The-_002enetrc-file.html', ref.kingfisher('netrc')],
    examples: {
      positive: [
        { template: 'machine git.corp.internal login deployer password {password}\n', path: '.netrc' },
        { template: 'machine api.corp.internal\n  login deployer\n  password {password}\n', path: '.netrc' },
        { template: 'machine proxy.corp.internal port 8443 login deployer password {password}\n', path: '.netrc' },
        { template: 'machine ftp.corp.internal\n\tport 21\n\tlogin deployer\n\taccount ops\n\tpassword {password}\n', path: '_netrc' },
        { template: 'default login anonymous password {password}\n', path: '.netrc' },
      ],
      negative: [{ template: 'machine git.corp.internal login deployer password changeme\n', path: '.netrc' }],
    },
  }),
];
