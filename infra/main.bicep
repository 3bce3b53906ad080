// Coupling Assistant on Azure: Azure Bot (single-tenant, Teams channel), Azure Container Apps running
// the image (at least 2 replicas, probes on /healthz), Key Vault holding the three secrets (read by
// the app through a managed identity, never copied into its settings), Application Insights.
//
//   az deployment group create -g <group> -f infra/main.bicep -p infra/main.parameters.json \
//     -p containerImage=<registry>.azurecr.io/coupling-assistant:1.0.0 registryName=<registry>
//
// The secure parameters are not in the parameters file: the Azure CLI asks for them. README: "Deploy to Azure".

targetScope = 'resourceGroup'

@description('Prefix of every resource name (letters and digits).')
@minLength(3)
@maxLength(12)
param namePrefix string = 'coupling'

@description('Region of everything except the bot registration (global).')
param location string = resourceGroup().location

@description('The image to run, e.g. myregistry.azurecr.io/coupling-assistant:1.0.0.')
param containerImage string

@description('Name of the Azure Container Registry holding the image (same resource group); the app pulls with its managed identity.')
param registryName string

@description('At least 2: the replicas share MongoDB (leases and compare-and-set approvals).')
@minValue(2)
param minReplicas int = 2

@maxValue(30)
param maxReplicas int = 4

@description('Microsoft App ID of the bot: the client id of its single-tenant Entra app registration.')
param botAppId string

@description('Client secret of the bot app registration.')
@secure()
param microsoftAppPassword string

@description('Azure Bot pricing tier: F0 (free, standard channels such as Teams) or S1.')
@allowed(['F0', 'S1'])
param botSku string = 'F0'

@description('Entra object ids (comma list) of the people who approve matches and change mappings.')
param managerAadObjectIds string

@description('MongoDB connection string: MongoDB Atlas (mongodb+srv://user:password@cluster.example.mongodb.net/) or Azure Cosmos DB for MongoDB vCore (mongodb+srv://user:password@name.mongocluster.cosmos.azure.com/?tls=true&authMechanism=SCRAM-SHA-256&retrywrites=false&maxIdleTimeMS=120000).')
@secure()
param mongodbUri string

@description('Database name in that server.')
param mongodbDb string = 'coupling_assistant'

@description('The Entra tenant of the Business Central environment.')
param bcTenantId string

@description('Business Central environment name, e.g. Production.')
param bcEnvironment string

@description('Business Central company id (a GUID from GET .../api/v2.0/companies).')
param bcCompanyId string

@description('Dataverse organisation URL, e.g. https://contoso.crm.dynamics.com.')
param dataverseUrl string

@description('Client id of the app registration with access to Business Central and Dataverse.')
param azureClientId string

@description('Client secret of that app registration.')
@secure()
param azureClientSecret string

@description('Your Entra tenant: the bot app, the API app registration and the people using the bot live there.')
param tenantId string = subscription().tenantId

var suffix = uniqueString(resourceGroup().id)
// Built-in roles: Key Vault Secrets User (read secret values), AcrPull (pull images).
var keyVaultSecretsUserRole = '4633458b-17de-408a-b874-0445c86b69e6'
var acrPullRole = '7f951dda-4ed3-4680-a7ca-43fe172d538d'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${namePrefix}-id-${suffix}'
  location: location
}

resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: '${namePrefix}-logs-${suffix}'
  location: location
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: 30
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${namePrefix}-ai-${suffix}'
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logs.id
  }
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: 'kv${suffix}'
  location: location
  properties: {
    tenantId: tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
    enablePurgeProtection: true
  }
}

resource appPasswordSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'microsoft-app-password'
  properties: { value: microsoftAppPassword }
}

resource clientSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'azure-client-secret'
  properties: { value: azureClientSecret }
}

resource mongodbUriSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'mongodb-uri'
  properties: { value: mongodbUri }
}

resource readSecrets 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: vault
  name: guid(vault.id, identity.id, keyVaultSecretsUserRole)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUserRole)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource registry 'Microsoft.ContainerRegistry/registries@2023-07-01' existing = {
  name: registryName
}

resource pullImages 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: registry
  name: guid(registry.id, identity.id, acrPullRole)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', acrPullRole)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource environment 'Microsoft.App/managedEnvironments@2024-03-01' = {
  name: '${namePrefix}-env-${suffix}'
  location: location
  properties: {
    appLogsConfiguration: {
      destination: 'log-analytics'
      logAnalyticsConfiguration: {
        customerId: logs.properties.customerId
        sharedKey: logs.listKeys().primarySharedKey
      }
    }
  }
}

resource app 'Microsoft.App/containerApps@2024-03-01' = {
  name: '${namePrefix}-bot'
  location: location
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identity.id}': {} }
  }
  // The identity must be able to read the secrets and pull the image before the first revision starts.
  dependsOn: [readSecrets, pullImages]
  properties: {
    managedEnvironmentId: environment.id
    configuration: {
      activeRevisionsMode: 'Single'
      ingress: {
        external: true
        targetPort: 3978
        transport: 'http'
        allowInsecure: false
      }
      registries: [
        {
          server: registry.properties.loginServer
          identity: identity.id
        }
      ]
      // Key Vault references: the values stay in the vault; the app reads them with its identity.
      secrets: [
        {
          name: 'microsoft-app-password'
          keyVaultUrl: appPasswordSecret.properties.secretUri
          identity: identity.id
        }
        {
          name: 'azure-client-secret'
          keyVaultUrl: clientSecret.properties.secretUri
          identity: identity.id
        }
        {
          name: 'mongodb-uri'
          keyVaultUrl: mongodbUriSecret.properties.secretUri
          identity: identity.id
        }
      ]
    }
    template: {
      containers: [
        {
          name: 'bot'
          image: containerImage
          resources: { cpu: json('0.5'), memory: '1Gi' }
          env: [
            { name: 'NODE_ENV', value: 'production' }
            { name: 'PORT', value: '3978' }
            { name: 'MicrosoftAppId', value: botAppId }
            { name: 'MicrosoftAppPassword', secretRef: 'microsoft-app-password' }
            { name: 'MicrosoftAppType', value: 'SingleTenant' }
            { name: 'MicrosoftAppTenantId', value: tenantId }
            { name: 'ALLOWED_TENANT_IDS', value: tenantId }
            { name: 'MANAGER_AAD_OBJECT_IDS', value: managerAadObjectIds }
            { name: 'MONGODB_URI', secretRef: 'mongodb-uri' }
            { name: 'MONGODB_DB', value: mongodbDb }
            { name: 'BC_TENANT_ID', value: bcTenantId }
            { name: 'BC_ENVIRONMENT', value: bcEnvironment }
            { name: 'BC_COMPANY_ID', value: bcCompanyId }
            { name: 'DATAVERSE_URL', value: dataverseUrl }
            { name: 'AZURE_TENANT_ID', value: tenantId }
            { name: 'AZURE_CLIENT_ID', value: azureClientId }
            { name: 'AZURE_CLIENT_SECRET', secretRef: 'azure-client-secret' }
            { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: appInsights.properties.ConnectionString }
          ]
          probes: [
            // Out of rotation while MongoDB does not answer (/healthz 503), without being restarted:
            // the process reconnects by itself. Liveness only asks whether the process still listens.
            {
              type: 'Startup'
              httpGet: { path: '/healthz', port: 3978 }
              periodSeconds: 5
              failureThreshold: 24
            }
            {
              type: 'Readiness'
              httpGet: { path: '/healthz', port: 3978 }
              periodSeconds: 10
              failureThreshold: 3
            }
            {
              type: 'Liveness'
              tcpSocket: { port: 3978 }
              periodSeconds: 30
              failureThreshold: 3
            }
          ]
        }
      ]
      scale: {
        minReplicas: minReplicas
        maxReplicas: maxReplicas
        rules: [
          {
            name: 'http'
            http: { metadata: { concurrentRequests: '50' } }
          }
        ]
      }
    }
  }
}

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: '${namePrefix}-bot-${suffix}'
  location: 'global'
  kind: 'azurebot'
  sku: { name: botSku }
  properties: {
    displayName: 'Coupling Assistant'
    endpoint: 'https://${app.properties.configuration.ingress.fqdn}/api/messages'
    msaAppId: botAppId
    msaAppType: 'SingleTenant'
    msaAppTenantId: tenantId
  }
}

resource teams 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: { isEnabled: true }
  }
}

output botEndpoint string = bot.properties.endpoint
output healthUrl string = 'https://${app.properties.configuration.ingress.fqdn}/healthz'
output botDomain string = app.properties.configuration.ingress.fqdn
output keyVaultName string = vault.name
output applicationInsightsName string = appInsights.name
