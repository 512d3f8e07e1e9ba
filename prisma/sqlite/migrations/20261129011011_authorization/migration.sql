-- CreateTable
CREATE TABLE "ResourceNode" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "parentId" TEXT,
    "type" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "idPath" TEXT NOT NULL,
    "depth" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "ResourceNode_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "ResourceNode" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "NodeType" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "icon" TEXT NOT NULL DEFAULT 'folder',
    "builtIn" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "Tool" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "paramsSchema" TEXT NOT NULL DEFAULT '{}',
    "risk" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Role" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "builtIn" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "RoleTool" (
    "roleId" TEXT NOT NULL,
    "toolId" TEXT NOT NULL,

    PRIMARY KEY ("roleId", "toolId"),
    CONSTRAINT "RoleTool_roleId_fkey" FOREIGN KEY ("roleId") REFERENCES "Role" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "RoleTool_toolId_fkey" FOREIGN KEY ("toolId") REFERENCES "Tool" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Grant" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "principalType" TEXT NOT NULL,
    "principalId" TEXT NOT NULL,
    "roleId" TEXT,
    "toolId" TEXT,
    "nodeId" TEXT NOT NULL,
    "constraints" TEXT NOT NULL DEFAULT '{}',
    "notBefore" DATETIME,
    "expiresAt" DATETIME,
    "schedule" TEXT,
    "requiresApproval" BOOLEAN NOT NULL DEFAULT false,
    "reason" TEXT,
    "grantedById" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" DATETIME,
    "revokedById" TEXT,
    CONSTRAINT "Grant_roleId_fkey" FOREIGN KEY ("roleId") REFERENCES "Role" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Grant_toolId_fkey" FOREIGN KEY ("toolId") REFERENCES "Tool" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Grant_nodeId_fkey" FOREIGN KEY ("nodeId") REFERENCES "ResourceNode" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ResourceServer" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "audience" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "status" TEXT NOT NULL DEFAULT 'active',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "ResourceServerSecret" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "resourceServerId" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "last4" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    "lastUsedAt" DATETIME,
    "revokedAt" DATETIME,
    CONSTRAINT "ResourceServerSecret_resourceServerId_fkey" FOREIGN KEY ("resourceServerId") REFERENCES "ResourceServer" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "ResourceNode_idPath_idx" ON "ResourceNode"("idPath");

-- CreateIndex
CREATE INDEX "ResourceNode_name_idx" ON "ResourceNode"("name");

-- CreateIndex
CREATE UNIQUE INDEX "ResourceNode_parentId_name_key" ON "ResourceNode"("parentId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "Tool_name_key" ON "Tool"("name");

-- CreateIndex
CREATE UNIQUE INDEX "Role_name_key" ON "Role"("name");

-- CreateIndex
CREATE INDEX "RoleTool_toolId_idx" ON "RoleTool"("toolId");

-- CreateIndex
CREATE INDEX "Grant_principalType_principalId_idx" ON "Grant"("principalType", "principalId");

-- CreateIndex
CREATE INDEX "Grant_nodeId_idx" ON "Grant"("nodeId");

-- CreateIndex
CREATE INDEX "Grant_roleId_idx" ON "Grant"("roleId");

-- CreateIndex
CREATE INDEX "Grant_toolId_idx" ON "Grant"("toolId");

-- CreateIndex
CREATE UNIQUE INDEX "ResourceServer_audience_key" ON "ResourceServer"("audience");

-- CreateIndex
CREATE UNIQUE INDEX "ResourceServerSecret_hash_key" ON "ResourceServerSecret"("hash");

-- CreateIndex
CREATE INDEX "ResourceServerSecret_resourceServerId_idx" ON "ResourceServerSecret"("resourceServerId");

