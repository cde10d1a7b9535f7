/** @module Audit activity names exactly as the reference's audit log spells them (§6). */

export const services = {
  coreDirectory: 'Core Directory',
  sspr: 'Self-service Password Management',
  authentication: 'Authentication',
} as const

export const activities = {
  addUser: 'Add user',
  updateUser: 'Update user',
  deleteUser: 'Delete user',
  disableAccount: 'Disable account',
  enableAccount: 'Enable account',
  resetPassword: 'Reset password',
  changeUserPassword: 'Change user password',
  setForceChangePassword: 'Set force change user password',
  revokeSessions: 'Update StsRefreshTokenValidFrom Timestamp',
  addGroup: 'Add group',
  updateGroup: 'Update group',
  deleteGroup: 'Delete group',
  addTenant: 'Add company',
  setPasswordPolicy: 'Set password policy',
  updateTenantSettings: 'Set company information',
  createAdminToken: 'Add service principal credentials',
  signIn: 'Sign-in activity',
  signOut: 'Sign-out activity',
  resetUserPassword: 'Reset user password',
  ssprProgress: 'Self-service password reset flow activity progress',
  ssprReset: 'Reset password (self-service)',
  ssprUnlock: 'Unlock user account (self-service)',
  ssprChange: 'Change password (self-service)',
  adminReset: 'Reset password (by admin)',
  ssprBlocked: 'Blocked from self-service password reset',
  securityInfoSaved: 'Security info saved for self-service password reset',
  ssprRegistered: 'User registered for self-service password reset',
  enableWriteback: 'Enable password writeback for directory',
  disableWriteback: 'Disable password writeback for directory',
  /** Ours: the reference has no API for it (its admins run Set-ADSyncAADPasswordSyncConfiguration on the server). */
  requestPasswordHashResync: 'Request full password hash sync',
} as const

export const categories = {
  user: 'UserManagement',
  group: 'GroupManagement',
  directory: 'DirectoryManagement',
  signIn: 'SignIn',
  application: 'ApplicationManagement',
} as const
