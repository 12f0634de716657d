## flash.apps_admin

flash-apps_admin-saved = Aplicação guardada.
flash-apps_admin-removed = Aplicação removida.

## apps

apps-error_not_found = Esta aplicação não existe.
apps-error_denied = Não tem permissão para fazer isso com as aplicações.
apps-error_name = Dê à aplicação um nome com 1 a 80 caracteres.
apps-error_protocol = Escolha como a aplicação inicia a sessão das pessoas: OpenID Connect, CAS ou por trás do portal.
apps-error_preset = Modelo desconhecido.
apps-error_slug = O nome curto só pode ter letras minúsculas, algarismos e hífenes (40 no máximo).
apps-error_slug_taken = Outra aplicação já tem este nome curto.
apps-error_launch_url = O endereço de arranque tem de ser um endereço completo em http:// ou https://.
apps-error_logout_url = O endereço de fim de sessão tem de ser um endereço completo em http:// ou https://.
apps-error_backchannel_url = O endereço de fim de sessão em segundo plano (back-channel) tem de ser um endereço completo em http:// ou https://.
apps-error_internal_url = Uma aplicação por trás do portal precisa do seu endereço interno em http:// ou https://.
apps-error_redirect_uri = Cada URI de redirecionamento tem de ser um endereço completo em http:// ou https://, sem #.
apps-error_post_logout_uri = Cada endereço para depois do fim de sessão tem de ser um endereço completo em http:// ou https://, sem #.
apps-error_service = Cada endereço de serviço CAS tem de ser um endereço completo em http:// ou https://, sem #.
apps-error_no_redirect_uri = Uma aplicação OpenID Connect precisa de pelo menos um URI de redirecionamento.
apps-error_no_service = Uma aplicação CAS precisa de pelo menos um endereço de serviço.
apps-error_class = Uma das turmas escolhidas não existe.
apps-error_no_secret = Só as aplicações OpenID Connect têm um segredo do cliente.

## oidc

oidc-error_bad_request = Este pedido de início de sessão vindo de uma aplicação está mal formado. Volte à aplicação e tente novamente.
oidc-error_repeated = Este pedido de início de sessão vindo de uma aplicação repete um parâmetro. Avise o administrador da aplicação.
oidc-error_unknown_client = Esta aplicação não está registada no Cartable. Avise o administrador da escola.
oidc-error_redirect_uri = Esta aplicação pediu um redirecionamento para um endereço que não está registado para ela. Avise o administrador da escola.
oidc-error_app_disabled = Esta aplicação está desativada por agora. Fale com o administrador da escola.
oidc-error_not_allowed = A sua conta não pode usar esta aplicação. Se acha que devia poder, fale com o administrador da escola.
oidc-error_hint = Este pedido de fim de sessão traz um token que o Cartable não emitiu, ou indica outra aplicação.
oidc-error_post_logout_uri = Esta aplicação pediu um redirecionamento, depois do fim de sessão, para um endereço que não está registado para ela. A sua sessão continua iniciada.
oidc-logout_title = Terminar sessão
oidc-logout_question = Uma aplicação pede para terminar a sua sessão no Cartable. Terminar a sessão agora?
oidc-logout_question_app = { $app } pede para terminar a sua sessão no Cartable. Terminar a sessão agora?
oidc-logout_confirm = Terminar sessão
oidc-logout_cancel = Manter a sessão iniciada

## cas

cas-error_title = Não é possível iniciar sessão nesta aplicação
cas-error_service = O Cartable não conhece a aplicação de onde veio, por isso não lhe vai transmitir o seu início de sessão. Se seguiu uma ligação, diga à secretaria onde a encontrou.
cas-not_allowed = A sua conta não pode usar { $app }. Se acha que devia poder, fale com a secretaria.
cas-busy = Demasiados inícios de sessão neste momento. Aguarde um minuto e tente novamente.
cas-back_home = Voltar ao portal
cas-logged_out_title = Sessão terminada
cas-logged_out = A sua sessão no Cartable terminou, bem como as sessões que ele tinha aberto nas aplicações.
cas-lingering = Estas aplicações mantêm a sua própria sessão: termine também a sessão em cada uma delas, sobretudo num computador partilhado.
cas-login_again = Iniciar sessão novamente

## apps_admin

apps_admin-title = Aplicações
apps_admin-intro = As aplicações em que as pessoas iniciam sessão com a sua conta do Cartable (OpenID Connect ou CAS), ou que o portal lhes abre. A página inicial de cada pessoa mostra as que ela pode usar.
apps_admin-add = Adicionar uma aplicação
apps_admin-none = Ainda não há aplicações.
apps_admin-name = Nome
apps_admin-slug = Nome curto (identificador do cliente)
apps_admin-slug_hint = Letras minúsculas, algarismos e hífenes; se ficar vazio, é formado a partir do nome. Nunca muda depois.
apps_admin-icon = Ícone (um emoji ou algumas letras)
apps_admin-protocol = Como inicia a sessão das pessoas
apps_admin-who = Quem a pode usar
apps_admin-nobody = ainda ninguém
apps_admin-disabled_tag = desativada
apps_admin-preset = Modelo
apps_admin-preset_generic = Outra aplicação
apps_admin-base = O endereço da aplicação
apps_admin-fill = Preencher com os valores habituais
apps_admin-preset_hint = Escolha a aplicação e escreva o seu endereço, depois use “Preencher com os valores habituais”: os endereços habituais abaixo ficam preenchidos; verifique-os.
apps_admin-launch_url = Endereço de arranque (para onde leva o seu atalho na página inicial)
apps_admin-redirect_uris = URI de redirecionamento (OpenID Connect), um por linha
apps_admin-post_logout_uris = Endereços permitidos depois do fim de sessão, um por linha
apps_admin-cas_services = Endereços de serviço CAS (prefixos), um por linha
apps_admin-uris_hint = Endereços completos em http:// ou https://. Os URI de redirecionamento têm de corresponder exatamente.
apps_admin-logout_url = O endereço de fim de sessão da aplicação
apps_admin-backchannel_logout_url = Endereço de fim de sessão em segundo plano (back-channel)
apps_admin-internal_url = Endereço interno (só por trás do portal)
apps_admin-internal_hint = Para uma aplicação por trás do portal: o endereço na rede da escola para onde o portal reencaminha, por exemplo http://127.0.0.1:8080/.
apps_admin-roles = Funções que a podem usar
apps_admin-classes = Só estas turmas
apps_admin-classes_hint = Nenhuma marcada: todas as turmas. Marcadas: só os alunos, professores e encarregados de educação destas turmas.
apps_admin-claims = O que a aplicação fica a saber
apps_admin-public = Cliente público: sem segredo, PKCE obrigatório (aplicações de telemóvel, aplicações de página única)
apps_admin-disabled = Desativada: ninguém a pode usar
apps_admin-new_title = Nova aplicação
apps_admin-create = Adicionar a aplicação
apps_admin-edit_title = Definições
apps_admin-secret_title = O segredo do cliente
apps_admin-secret_once = Copie-o já para a aplicação: só é mostrado desta vez e não pode voltar a ser mostrado.
apps_admin-secret_hidden = guardado só como hash, nunca mais mostrado
apps_admin-public_no_secret = nenhum (cliente público)
apps_admin-secret_new = Criar um novo segredo do cliente
apps_admin-secret_hint = O segredo antigo deixa de funcionar imediatamente: cole logo o novo na aplicação.
apps_admin-ca_link = Confiar na autoridade de certificação (AC) da escola
apps_admin-remove_title = Remover
apps_admin-remove_hint = A aplicação deixa de poder iniciar a sessão de quem quer que seja através do Cartable.
apps_admin-remove = Remover a aplicação
apps_admin-error_base = Escreva o endereço completo da aplicação (http:// ou https://) para preencher os valores do modelo.
apps_admin-my_apps = As minhas aplicações
apps_admin-proxy_down = Esta aplicação não está a responder neste momento. Tente mais tarde, ou avise o administrador da escola.

## apps_admin.protocols

apps_admin-protocols-oidc = OpenID Connect
apps_admin-protocols-cas = CAS
apps_admin-protocols-proxy = Por trás do portal (sem início de sessão próprio)

## apps_admin.profiles

apps_admin-profiles-standard = Padrão (nomes OpenID Connect, funções e grupos)
apps_admin-profiles-ent_fr = Padrão e os nomes do ENT francês (ENTPersonProfils, ENTClasse…)

## apps_admin.pastes

apps_admin-pastes-title = O que introduzir na aplicação
apps_admin-pastes-issuer = Emissor (issuer)
apps_admin-pastes-discovery_url = Endereço de descoberta
apps_admin-pastes-client_id = Identificador do cliente (client id)
apps_admin-pastes-client_secret = Segredo do cliente (client secret)
apps_admin-pastes-cas_base_url = Endereço do servidor CAS
apps_admin-pastes-address = O seu endereço no portal
apps_admin-pastes-ca_certificate = A autoridade de certificação da escola
