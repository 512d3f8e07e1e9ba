-- CreateTable
CREATE TABLE "ResourceNode" (
    "id" TEXT NOT NULL,
    "parentId" TEXT,
    "type" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "idPath" TEXT NOT NULL,
    "depth" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ResourceNode_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "NodeType" (
    "name" TEXT NOT NULL,
    "icon" TEXT NOT NULL DEFAULT 'folder',
    "builtIn" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "NodeType_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "Tool" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "paramsSchema" TEXT NOT NULL DEFAULT '{}',
    "risk" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Tool_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Role" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "builtIn" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Role_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RoleTool" (
    "roleId" TEXT NOT NULL,
    "toolId" TEXT NOT NULL,

    CONSTRAINT "RoleTool_pkey" PRIMARY KEY ("roleId","toolId")
);

-- CreateTable
CREATE TABLE "Grant" (
    "id" TEXT NOT NULL,
    "principalType" TEXT NOT NULL,
    "principalId" TEXT NOT NULL,
    "roleId" TEXT,
    "toolId" TEXT,
    "nodeId" TEXT NOT NULL,
    "constraints" TEXT NOT NULL DEFAULT '{}',
    "notBefore" TIMESTAMP(3),
    "expiresAt" TIMESTAMP(3),
    "schedule" TEXT,
    "requiresApproval" BOOLEAN NOT NULL DEFAULT false,
    "reason" TEXT,
    "grantedById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMP(3),
    "revokedById" TEXT,

    CONSTRAINT "Grant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ResourceServer" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "audience" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "status" TEXT NOT NULL DEFAULT 'active',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ResourceServer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ResourceServerSecret" (
    "id" TEXT NOT NULL,
    "resourceServerId" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "last4" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "lastUsedAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "ResourceServerSecret_pkey" PRIMARY KEY ("id")
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

-- AddForeignKey
ALTER TABLE "ResourceNode" ADD CONSTRAINT "ResourceNode_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "ResourceNode"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RoleTool" ADD CONSTRAINT "RoleTool_roleId_fkey" FOREIGN KEY ("roleId") REFERENCES "Role"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RoleTool" ADD CONSTRAINT "RoleTool_toolId_fkey" FOREIGN KEY ("toolId") REFERENCES "Tool"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Grant" ADD CONSTRAINT "Grant_roleId_fkey" FOREIGN KEY ("roleId") REFERENCES "Role"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Grant" ADD CONSTRAINT "Grant_toolId_fkey" FOREIGN KEY ("toolId") REFERENCES "Tool"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Grant" ADD CONSTRAINT "Grant_nodeId_fkey" FOREIGN KEY ("nodeId") REFERENCES "ResourceNode"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ResourceServerSecret" ADD CONSTRAINT "ResourceServerSecret_resourceServerId_fkey" FOREIGN KEY ("resourceServerId") REFERENCES "ResourceServer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

